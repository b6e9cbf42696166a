import type { SampleLogIndex } from './sample-log-index.js';
import { scanLines } from './scan-lines.js';

/**
 * Stream a log once and call `visit` with the text of every line the index points at (the current record of each
 * sample), in file order. Lines that were replaced by a later record, and bytes past the indexed size, are skipped.
 */
export async function visitIndexedLines(index: SampleLogIndex, visit: (position: number, text: string) => void): Promise<void> {
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
      visit(position, line.buffer.toString('utf8', line.start, Math.min(line.end, line.start + (index.lengths[position] as number))));
    },
  });
}
