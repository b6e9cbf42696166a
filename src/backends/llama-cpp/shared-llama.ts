import type { Llama } from 'node-llama-cpp';
import { BackendUnavailableError } from '../../spec/index.js';

type NodeLlamaCpp = typeof import('node-llama-cpp');

/** The version sextant is tested with; the install hint names it. */
export const nodeLlamaCppVersion = '3.21.1';

let modulePromise: Promise<NodeLlamaCpp> | undefined;
let llamaPromise: Promise<Llama> | undefined;
const logCollectors = new Set<(message: string) => void>();

/**
 * Import node-llama-cpp on first use, so HTTP-only users never load native code. Throws
 * {@link BackendUnavailableError} with the install command when the optional dependency is missing.
 */
export async function importNodeLlamaCpp(): Promise<NodeLlamaCpp> {
  modulePromise ??= import('node-llama-cpp').catch((error: unknown) => {
    modulePromise = undefined;
    throw new BackendUnavailableError({
      message: `the llama-cpp backend needs node-llama-cpp, an optional dependency: npm install node-llama-cpp@${nodeLlamaCppVersion} (${(error as Error).message})`,
      cause: error,
    });
  });
  return modulePromise;
}

/**
 * The process's one CPU `Llama` instance, shared by every llama-cpp backend. It lives until the process exits
 * (node-llama-cpp disposes it then): llama.cpp's backend and log callback are process-wide, and re-creating the
 * instance after disposing it loses the log routing.
 */
export async function getSharedLlama(): Promise<Llama> {
  const { getLlama, LlamaLogLevel } = await importNodeLlamaCpp();
  llamaPromise ??= getLlama({
    gpu: false,
    build: 'never',
    // 0: no process-wide cap, so each context's `threads` is the exact thread count.
    maxThreads: 0,
    logLevel: LlamaLogLevel.warn,
    logger: (_level: unknown, message: string) => {
      for (const collect of logCollectors) collect(message.trim());
    },
  }).catch((error: unknown) => {
    llamaPromise = undefined;
    throw new BackendUnavailableError({ message: `llama.cpp failed to initialise: ${(error as Error).message}`, cause: error });
  });
  return llamaPromise;
}

/**
 * Run `task` while collecting llama.cpp's warnings (e.g. "n_ctx_seq > n_ctx_train"), which otherwise go nowhere.
 * Messages from other backends starting at the same time may be collected too.
 */
export async function collectLlamaWarnings<Result>(task: () => Promise<Result>): Promise<{ result: Result; messages: string[] }> {
  const messages: string[] = [];
  const collect = (message: string) => {
    if (message) messages.push(message);
  };
  logCollectors.add(collect);
  try {
    const result = await task();
    // llama.cpp logs from native threads; let queued messages arrive.
    await new Promise((resolve) => setImmediate(resolve));
    return { result, messages };
  } finally {
    logCollectors.delete(collect);
  }
}
