import { describe, expect, it } from 'vitest';
import { ConsoleReporter } from './console-reporter.js';

function capture(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = { isTTY, write: (chunk: string) => chunks.push(chunk) } as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join('') };
}

describe('ConsoleReporter', () => {
  it('writes no colour codes when the stream is not a terminal', () => {
    const output = capture(false);
    const reporter = new ConsoleReporter({ stream: output.stream, debug: false, intervalMs: 5000 });
    reporter.onWarning({ modelAbbr: 'm', message: 'something' });
    expect(output.text()).toBe('warning (m): something\n');
  });

  it('prints engine messages (onDebug) only with --debug', () => {
    const quiet = capture(false);
    new ConsoleReporter({ stream: quiet.stream, debug: false, intervalMs: 5000 }).onDebug('m: llama.cpp: n_ctx_seq (8192) > n_ctx_train (128)');
    expect(quiet.text()).toBe('');
    const verbose = capture(false);
    new ConsoleReporter({ stream: verbose.stream, debug: true, intervalMs: 5000 }).onDebug('m: llama.cpp: n_ctx_seq (8192) > n_ctx_train (128)');
    expect(verbose.text()).toBe('m: llama.cpp: n_ctx_seq (8192) > n_ctx_train (128)\n');
  });
});
