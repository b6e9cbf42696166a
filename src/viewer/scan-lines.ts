import { open } from 'node:fs/promises';

/** One line handed to a {@link scanLines} visitor: bytes `buffer[start, end)` without the `\n`. Valid only during the call. */
export interface ScannedLine {
  readonly buffer: Buffer;
  readonly start: number;
  readonly end: number;
  /** Byte offset of the line's first byte in the file. */
  readonly offset: number;
  /** False for a last line with no `\n` after it (a torn write, or one still being written). */
  readonly terminated: boolean;
}

const newline = 0x0a;

/**
 * Read a file once, front to back, in large chunks, and hand every line to `onLine` without decoding it. Memory stays
 * at one chunk (grown only for a line longer than a chunk). Returns the number of bytes read.
 */
export async function scanLines(options: { path: string; onLine: (line: ScannedLine) => void; chunkBytes?: number }): Promise<number> {
  const handle = await open(options.path, 'r');
  try {
    let buffer = Buffer.allocUnsafe(options.chunkBytes ?? 4 << 20);
    // Bytes [0, filled) of the buffer hold the file from `bufferOffset`; the unfinished line is carried to the front.
    let filled = 0;
    let bufferOffset = 0;
    for (;;) {
      if (filled === buffer.length) {
        const grown = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(grown, 0, 0, filled);
        buffer = grown;
      }
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, bufferOffset + filled);
      if (bytesRead === 0) break;
      const end = filled + bytesRead;
      const view = buffer.subarray(0, end);
      let lineStart = 0;
      let at = view.indexOf(newline, filled);
      while (at !== -1) {
        options.onLine({ buffer: view, start: lineStart, end: at, offset: bufferOffset + lineStart, terminated: true });
        lineStart = at + 1;
        at = view.indexOf(newline, lineStart);
      }
      buffer.copy(buffer, 0, lineStart, end);
      filled = end - lineStart;
      bufferOffset += lineStart;
    }
    if (filled > 0) options.onLine({ buffer, start: 0, end: filled, offset: bufferOffset, terminated: false });
    return bufferOffset + filled;
  } finally {
    await handle.close();
  }
}
