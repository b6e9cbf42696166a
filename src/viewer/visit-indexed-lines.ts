import type { SampleLogIndex } from './sample-log-index.js';
import { scanLines, type ScannedLine } from './scan-lines.js';

/**
 * Stream a log once and call `visit` with the bytes of every line the index points at (the current record of each
 * sample), in file order; the line is valid only during the call. Lines that were replaced by a later record are skipped.
 */
export async function visitIndexedLines(index: SampleLogIndex, visit: (position: number, line: ScannedLine) => void): Promise<void> {
  if (index.count === 0) return;
  const byStart = Array.from({ length: index.count }, (_, position) => position).sort(
    (left, right) => (index.starts[left] as number) - (index.starts[right] as number),
  );
  let next = 0;
  await scanLines({
    path: index.path,
    onLine: (line) => {
      // A line that vanished (the file changed under the index) is passed over, not waited for.
      while (next < byStart.length && (index.starts[byStart[next] as number] as number) < line.offset) next += 1;
      const position = byStart[next];
      if (position === undefined || line.offset !== index.starts[position]) return;
      next += 1;
      visit(position, { ...line, end: Math.min(line.end, line.start + (index.lengths[position] as number)) });
    },
  });
}
