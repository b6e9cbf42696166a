import { mkdir, rename, rm, statfs, writeFile } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { OutputError, redactText } from '../spec/index.js';

let counter = 0;

/**
 * Write a file so that readers see either the old content or the whole new content, never a torn file:
 * write a temporary file in the same folder, then rename it over the target. Registered secrets are redacted from
 * the content. On failure the temporary file is removed and the error is an {@link OutputError} naming the file
 * (for a full disk: how much space is left).
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  counter += 1;
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${counter}.tmp`);
  // Text is redacted; bytes (e.g. a binary cache) are written as given.
  const text = typeof content === 'string' ? redactText(content) : content;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temporary, text);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw await outputErrorFor(error, path, Buffer.byteLength(text));
  }
}

/**
 * An {@link OutputError} for a failed write of `path`: a full disk says how much space is left on that file system,
 * other errors say what the system said. `bytes`: the size of what was being written, when known.
 */
export async function outputErrorFor(error: unknown, path: string, bytes?: number): Promise<OutputError> {
  if (OutputError.isInstance(error)) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    const free = await freeBytes(dirname(path));
    const sizes = [free !== undefined ? `${formatBytes(free)} free there` : '', bytes !== undefined ? `${formatBytes(bytes)} to write` : ''].filter(Boolean);
    return new OutputError({
      path,
      message: `no space left on the device writing ${path}${sizes.length > 0 ? ` (${sizes.join(', ')})` : ''}. Finished samples are saved: free some space, then continue with -r.`,
      cause: error,
    });
  }
  return new OutputError({ path, message: `cannot write ${path}: ${(error as Error).message}`, cause: error });
}

async function freeBytes(folder: string): Promise<number | undefined> {
  try {
    const stats = await statfs(folder);
    return stats.bavail * stats.bsize;
  } catch {
    return undefined;
  }
}

/** `512 B`, `12.3 KiB`, `4.0 MiB`, `1.2 GiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** JSON with a 4-space indent and non-ASCII kept, as OpenCompass (mmengine) writes its files. */
export function formatJsonFile(value: unknown): string {
  return `${JSON.stringify(value, null, 4)}\n`;
}
