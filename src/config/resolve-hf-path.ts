import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ConfigError } from '../spec/index.js';

/** What an `--hf-path` names, once resolved. */
export type HfPathTarget =
  /** A GGUF file, for the in-process llama.cpp backend. */
  | { readonly kind: 'gguf'; readonly path: string; readonly name: string }
  /** An ONNX model folder (Optimum layout: `onnx/model.onnx` beside config.json), for transformers.js. */
  | { readonly kind: 'onnx'; readonly path: string; readonly name: string }
  /** Anything else: a checkpoint folder or hub id for `--accelerator lmdeploy|vllm` to serve. */
  | { readonly kind: 'checkpoint'; readonly path: string; readonly name: string };

type Detector = (path: string) => HfPathTarget | undefined;

/**
 * Decide what `--hf-path PATH` names. Tried in order, the first match wins:
 * a `.gguf` file; a folder holding exactly one `.gguf` (several: an error listing them); an ONNX model given as its
 * folder, its `onnx/` folder or an `.onnx` file inside it (all resolve to the model folder); else a checkpoint.
 * To support another layout, add a detector to the list.
 *
 * @throws {ConfigError} naming `--hf-path` when a folder holds several `.gguf` files.
 */
export function resolveHfPath(path: string): HfPathTarget {
  for (const detect of detectors) {
    const target = detect(path);
    if (target) return target;
  }
  return { kind: 'checkpoint', path, name: nameOf(path) };
}

const detectors: readonly Detector[] = [ggufFile, folderWithOneGguf, onnxModel];

function ggufFile(path: string): HfPathTarget | undefined {
  return /\.gguf$/i.test(path) ? { kind: 'gguf', path, name: nameOf(path).replace(/\.gguf$/i, '') } : undefined;
}

function folderWithOneGguf(path: string): HfPathTarget | undefined {
  const ggufs = listFolder(path).filter((entry) => /\.gguf$/i.test(entry));
  if (ggufs.length === 0) return undefined;
  if (ggufs.length > 1) {
    throw new ConfigError({ field: '--hf-path', message: `${path} holds ${ggufs.length} .gguf files (${ggufs.join(', ')}); give one of them` });
  }
  const file = join(path, ggufs[0] as string);
  return { kind: 'gguf', path: file, name: nameOf(file).replace(/\.gguf$/i, '') };
}

function onnxModel(path: string): HfPathTarget | undefined {
  const absolute = resolve(path);
  const isFile = isKind(absolute, 'file');
  // `.../model/onnx/model.onnx` → `.../model`; `.../model/onnx` → `.../model`; `.../model` (with onnx/) → itself.
  const candidates = isFile && /\.onnx$/i.test(absolute) ? [dirname(dirname(absolute))] : basename(absolute) === 'onnx' ? [dirname(absolute)] : [absolute];
  const folder = candidates.find((candidate) => isKind(join(candidate, 'onnx'), 'directory'));
  if (!folder) return undefined;
  const given = isFile || basename(absolute) === 'onnx' ? folder : path;
  return { kind: 'onnx', path: given, name: nameOf(folder) };
}

function nameOf(path: string): string {
  return basename(path.replace(/[/\\]+$/, ''));
}

function listFolder(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

function isKind(path: string, kind: 'file' | 'directory'): boolean {
  try {
    const stats = statSync(path);
    return kind === 'file' ? stats.isFile() : stats.isDirectory();
  } catch {
    return false;
  }
}
