import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_DIR, startDataMirror, type DataMirror } from '../../../test/support/data-mirror-server.js';
import type { DataManifest } from './data-manifest-types.js';
import { fetchData, mirroredUrl, resolveDataTargets } from './fetch-data.js';
import { verifyData } from './verify-data.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let mirror: DataMirror;
let root: string;

beforeAll(async () => {
  mirror = await startDataMirror({ routes: new Map() });
  root = await mkdtemp(join(tmpdir(), 'sextant-fetch-archive-'));
});

afterAll(async () => {
  await mirror?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

/** A manifest whose C-Eval-like entry comes out of a zip (members nested under a folder, as upstream zips are) and whose HumanEval comes out of a .gz. */
async function archiveManifest(options: { corruptMember?: boolean } = {}): Promise<DataManifest> {
  const names = ['val/computer_network_val.csv', 'dev/computer_network_dev.csv'];
  const contents = await Promise.all(names.map((name) => readFile(join(SHARED_DIR, 'data', 'ceval', name))));
  const zipped = zipSync({
    'ceval/val/computer_network_val.csv': new Uint8Array(contents[0]!),
    'ceval/dev/computer_network_dev.csv': new Uint8Array(contents[1]!),
    'ceval/test/unrelated.csv': new Uint8Array([1, 2, 3]),
  });
  mirror.serveBytes('/owner/repo/commit/ceval.zip', zipped);
  const humaneval = await readFile(join(SHARED_DIR, 'data', 'humaneval', 'HumanEval.jsonl'));
  const gzipped = gzipSync(humaneval);
  mirror.serveBytes('/owner/repo/commit/HumanEval.jsonl.gz', gzipped);
  return {
    version: 1,
    datasets: {
      ceval: {
        title: 'C-Eval subset',
        license: 'test',
        archive: { url: 'https://raw.githubusercontent.com/owner/repo/commit/ceval.zip', format: 'zip', sha256: sha256(zipped) },
        files: names.map((name, index) => ({
          path: name,
          sha256: options.corruptMember && index === 1 ? '0'.repeat(64) : sha256(contents[index]!),
          size: contents[index]!.length,
          fromArchive: true,
        })),
      },
      humaneval: {
        title: 'HumanEval',
        license: 'test',
        archive: { url: 'https://raw.githubusercontent.com/owner/repo/commit/HumanEval.jsonl.gz', format: 'gzip', sha256: sha256(gzipped) },
        files: [{ path: 'HumanEval.jsonl', sha256: sha256(humaneval), size: humaneval.length, fromArchive: true }],
      },
    },
    models: {},
  };
}

describe('fetchData from archives', () => {
  it('extracts the zip members and the .gz content the manifest lists, verifies each, and removes the downloaded archives', async () => {
    const manifest = await archiveManifest();
    const dataDir = join(root, 'good');
    const ended: string[] = [];
    await fetchData({
      names: ['ceval', 'humaneval'],
      root: dataDir,
      mirror: mirror.url,
      manifest,
      reporter: { onFileEnd: (event) => ended.push(`${event.status} ${event.file}`) },
    });
    expect(ended).toEqual([
      'fetched ceval.zip',
      'extracted val/computer_network_val.csv',
      'extracted dev/computer_network_dev.csv',
      'fetched HumanEval.jsonl.gz',
      'extracted HumanEval.jsonl',
    ]);
    expect(await readFile(join(dataDir, 'ceval', 'val', 'computer_network_val.csv'))).toEqual(
      await readFile(join(SHARED_DIR, 'data', 'ceval', 'val', 'computer_network_val.csv')),
    );
    expect(existsSync(join(dataDir, 'ceval', 'test'))).toBe(false);
    expect(existsSync(join(dataDir, '.downloads', 'ceval'))).toBe(false);
    const verified = await verifyData({ root: dataDir, manifest });
    expect(verified.map((entry) => [entry.name, entry.ok, entry.missing.length, entry.mismatched.length])).toEqual([
      ['ceval', 2, 0, 0],
      ['humaneval', 1, 0, 0],
    ]);
  });

  it('a member whose bytes do not match is not written', async () => {
    const manifest = await archiveManifest({ corruptMember: true });
    const dataDir = join(root, 'bad-member');
    await expect(fetchData({ names: ['ceval'], root: dataDir, mirror: mirror.url, manifest })).rejects.toThrow(
      /checksum mismatch for dev\/computer_network_dev\.csv in http:\/\/127\.0\.0\.1:\d+\/owner\/repo\/commit\/ceval\.zip/,
    );
    expect(existsSync(join(dataDir, 'ceval', 'dev', 'computer_network_dev.csv'))).toBe(false);
  });
});

describe('names and mirrors', () => {
  it('demo is C-Eval plus the demo model; all is every dataset; names are deduplicated', () => {
    expect(resolveDataTargets({ names: ['demo', 'ceval'], root: '/r' }).map((target) => `${target.kind} ${target.folder}`)).toEqual([
      'dataset /r/ceval',
      'model /r/models/stories260K-gguf',
    ]);
    expect(resolveDataTargets({ names: ['all'], root: '/r' })).toHaveLength(11);
  });

  it('a mirror replaces the upstream origin and keeps the path', () => {
    expect(mirroredUrl('https://raw.githubusercontent.com/a/b/c/d.csv', 'http://127.0.0.1:8080/base/')).toBe('http://127.0.0.1:8080/base/a/b/c/d.csv');
    expect(mirroredUrl('https://raw.githubusercontent.com/a/b/c/d.csv', undefined)).toBe('https://raw.githubusercontent.com/a/b/c/d.csv');
  });
});
