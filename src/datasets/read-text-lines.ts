import { readFile } from 'node:fs/promises';
import { DataError } from '../spec/index.js';

/**
 * A text file's lines as Python's `readlines()` in text mode splits them (universal newlines: LF, CRLF, CR), without
 * their line ends; a final line end adds no empty line. Each line carries its 1-based number for error messages.
 */
export async function readTextLines(path: string): Promise<Array<{ text: string; line: number }>> {
  const content = await readFile(path, 'utf8').catch((error: unknown) => {
    throw new DataError({ path, message: `cannot read ${path}: ${(error as Error).message}`, cause: error });
  });
  const lines = content.split(/\r\n|\r|\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines.map((text, index) => ({ text, line: index + 1 }));
}
