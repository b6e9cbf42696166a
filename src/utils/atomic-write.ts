import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';

let counter = 0;

/**
 * Write a file so that readers see either the old content or the whole new content, never a torn file:
 * write a temporary file in the same folder, then rename it over the target.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  counter += 1;
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${counter}.tmp`);
  await writeFile(temporary, content);
  await rename(temporary, path);
}

/** JSON with a 4-space indent and non-ASCII kept, as OpenCompass (mmengine) writes its files. */
export function formatJsonFile(value: unknown): string {
  return `${JSON.stringify(value, null, 4)}\n`;
}
