import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createFetchProgress } from './data-progress.js';

function capture(tty: boolean) {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const progress = createFetchProgress({ stream, tty });
  return { progress, text: () => text };
}

describe('createFetchProgress', () => {
  it('on a terminal: a bar redrawn in place, cleared before the line for the finished file', () => {
    const { progress, text } = capture(true);
    progress.reporter.onFileStart?.({ target: 'piqa', file: 'valid.jsonl', url: 'http://x/valid.jsonl', size: 2_000_000 });
    progress.reporter.onFileProgress?.({ target: 'piqa', file: 'valid.jsonl', received: 2_000_000, total: 2_000_000 });
    progress.reporter.onFileEnd?.({ target: 'piqa', file: 'valid.jsonl', status: 'fetched', size: 2_000_000 });
    progress.reporter.onFileEnd?.({ target: 'piqa', file: 'README.md', status: 'present', size: 10 });
    progress.finish();
    expect(text()).toBe(`\r\x1b[2K[########################] 100%  2.0 MB / 2.0 MB  piqa/valid.jsonl\r\x1b[2Kfetched piqa/valid.jsonl (2.0 MB)\n`);
    expect(progress.summary('piqa')).toBe('1 downloaded, 1 already present');
  });

  it('elsewhere: plain lines, no bar and no control characters', () => {
    const { progress, text } = capture(false);
    progress.reporter.onFileStart?.({ target: 'ceval', file: 'ceval.zip', url: 'http://x/ceval.zip', size: undefined });
    progress.reporter.onFileProgress?.({ target: 'ceval', file: 'ceval.zip', received: 10, total: undefined });
    progress.reporter.onFileEnd?.({ target: 'ceval', file: 'ceval.zip', status: 'fetched', size: 1500 });
    progress.reporter.onFileEnd?.({ target: 'ceval', file: 'dev/a.csv', status: 'extracted', size: 10 });
    expect(text()).toBe('fetching http://x/ceval.zip\nfetched ceval/ceval.zip (2 kB)\n');
    expect(progress.summary('ceval')).toBe('1 downloaded, 1 extracted, 0 already present');
  });
});
