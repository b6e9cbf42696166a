import type { DataFetchReporter } from '../api/data-sources.js';

const size = (bytes: number) => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1e3))} kB`);

/**
 * Progress of `sextant data fetch`: on a terminal, one bar redrawn in place for the file being downloaded; elsewhere
 * (logs, pipes), one plain line per downloaded file. Files already present or extracted from an archive are counted
 * and summarised per dataset.
 */
export function createFetchProgress(options: { stream: NodeJS.WritableStream; tty: boolean }): {
  reporter: DataFetchReporter;
  summary(target: string): string;
  finish(): void;
} {
  const counts = new Map<string, { fetched: number; present: number; extracted: number }>();
  let barShown = false;
  let lastDraw = 0;
  const clearBar = () => {
    if (barShown) options.stream.write('\r\x1b[2K');
    barShown = false;
  };
  const reporter: DataFetchReporter = {
    onFileStart: (event) => {
      if (!options.tty) options.stream.write(`fetching ${event.url}\n`);
    },
    onFileProgress: (event) => {
      if (!options.tty) return;
      const now = Date.now();
      if (now - lastDraw < 100 && event.received !== event.total) return;
      lastDraw = now;
      const fraction = event.total ? Math.min(1, event.received / event.total) : undefined;
      const width = 24;
      const bar =
        fraction === undefined ? '' : `[${'#'.repeat(Math.round(fraction * width)).padEnd(width, '.')}] ${String(Math.round(fraction * 100)).padStart(3)}%  `;
      options.stream.write(`\r\x1b[2K${bar}${size(event.received)}${event.total ? ` / ${size(event.total)}` : ''}  ${event.target}/${event.file}`);
      barShown = true;
    },
    onFileEnd: (event) => {
      const count = counts.get(event.target) ?? { fetched: 0, present: 0, extracted: 0 };
      count[event.status] += 1;
      counts.set(event.target, count);
      if (event.status !== 'fetched') return;
      clearBar();
      options.stream.write(`fetched ${event.target}/${event.file} (${size(event.size)})\n`);
    },
  };
  return {
    reporter,
    summary(target) {
      const count = counts.get(target) ?? { fetched: 0, present: 0, extracted: 0 };
      return [`${count.fetched} downloaded`, ...(count.extracted ? [`${count.extracted} extracted`] : []), `${count.present} already present`].join(', ');
    },
    finish: clearBar,
  };
}
