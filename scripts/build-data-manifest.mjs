#!/usr/bin/env node
/**
 * Regenerates src/datasets/fetch/data-manifest.ts, the checksums `sextant data fetch|verify` ship with: every file of
 * ../shared/data/<name>/CHECKSUMS (sha256 and size) with the upstream URL it comes from, and the demo model.
 *
 *   node scripts/build-data-manifest.mjs [--check] [SHARED_DIR]
 *
 * `--check` writes nothing and exits 1 when the committed manifest differs from what ../shared says.
 *
 * The upstream repositories, commits and paths below are the ones each ../shared/data/<name>/SOURCE.md records
 * ("Taken from"); a dataset copied out of an archive names the archive (zip, or a .gz of one file) and its sha256.
 * URLs are raw.githubusercontent.com/<owner>/<repo>/<commit>/<path>, so a mirror serves the same paths.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repository = fileURLToPath(new URL('..', import.meta.url));
const check = process.argv.includes('--check');
const shared = process.argv.slice(2).find((argument) => argument !== '--check') ?? join(repository, '..', 'shared');
const raw = (repo, commit, path) => `https://raw.githubusercontent.com/${repo}/${commit}/${path}`;

/** Per dataset: where each local file comes from. `upstream(localPath)` gives the path in the repository. */
const sources = {
  agieval: {
    repo: 'ruixiangcui/AGIEval',
    commit: '5c77d073fda993f1652eaae3cf5d04cc5fd21d40',
    license: 'MIT (repository); per-source terms in v1/LICENSE',
    upstream: (path) => (path === 'LICENSE' ? 'LICENSE' : `data/${path}`),
  },
  bbh: {
    repo: 'suzgunmirac/BIG-Bench-Hard',
    commit: '9ee07bd481feebf959a6b59d61ea57bdcf30964d',
    license: 'MIT',
    upstream: (path) => (path === 'LICENSE' || path.startsWith('cot-prompts/') ? path : `bbh/${path}`),
  },
  ceval: {
    repo: 'hiyouga/LLaMA-Factory',
    commit: '4dd9b4d9829249da21c0827fb9a170335e518d93',
    license: 'CC BY-NC-SA 4.0 (non-commercial, share-alike)',
    archive: { path: 'evaluation/ceval/ceval.zip', format: 'zip', sha256: '68786deeea68ff089c56563ee48fab8160da857b77b913437bb504d681fd8e20' },
  },
  cmmlu: {
    repo: 'haonan-li/CMMLU',
    commit: 'd6e7b716d8ac694f38969a6c0407437d1fded799',
    license: 'CC BY-NC-SA 4.0 (non-commercial, share-alike)',
    upstream: (path) => `data/${path}`,
  },
  gsm8k: {
    repo: 'openai/grade-school-math',
    commit: '3101c7d5072418e28b9008a6636bde82a006892c',
    license: 'MIT',
    upstream: (path) => (path === 'LICENSE' ? 'LICENSE' : `grade_school_math/data/${path}`),
  },
  humaneval: {
    repo: 'openai/human-eval',
    commit: '6d43fb980f9fee3c892a914eda09951f772ad10d',
    license: 'MIT',
    upstream: (path) => (path === 'LICENSE' ? 'LICENSE' : undefined),
    archive: {
      path: 'data/HumanEval.jsonl.gz',
      format: 'gzip',
      member: 'HumanEval.jsonl',
      sha256: 'b796127e635a67f93fb35c04f4cb03cf06f38c8072ee7cee8833d7bee06979ef',
    },
  },
  math500: {
    repo: 'MobileLLM/BudgetThinker',
    commit: 'f0466b9d37595f46603387baa5930e312fefb7f5',
    license: 'MIT (MATH, PRM800K)',
    upstream: (path) => (path === 'test.jsonl' ? 'evaluation/data/math500/test_ori.jsonl' : undefined),
    urls: { 'LICENSE.prm800k': raw('openai/prm800k', '7ecc794703b2877f63226f2477a49b34f9b25163', 'LICENSE') },
  },
  mbpp: {
    repo: 'OckBench/OckBench',
    commit: 'b72752a0ba5989d3c212675ec60d3eedcd838628',
    license: 'not stated upstream (google-research is Apache-2.0)',
    upstream: (path) => `data/${path}`,
  },
  mmlu: {
    repo: 'hiyouga/LLaMA-Factory',
    commit: '4dd9b4d9829249da21c0827fb9a170335e518d93',
    license: 'MIT',
    archive: { path: 'evaluation/mmlu/mmlu.zip', format: 'zip', sha256: '9e2b2d78bf59d80baf271a13005568ef0aca17bd663f2e5ebfecdc07a68f0edc' },
  },
  nq_open: {
    repo: 'google-research-datasets/natural-questions',
    commit: 'fb26a3073b1fe636c97302890a27b491d6530130',
    license: 'CC BY-SA 3.0',
    upstream: (path) => `nq_open/${path}`,
  },
  piqa: {
    repo: 'ybisk/ybisk.github.io',
    commit: '21edab439af693b961be2f069e8690a88d3b4e37',
    license: 'AFL-3.0',
    upstream: (path) => `piqa/data/${path}`,
  },
};

const models = {
  'stories260K-gguf': {
    description: 'the demo model: llama2.c stories260K as GGUF (1.2 MB)',
    license: 'MIT',
    file: 'stories260Ktok512.gguf',
    url: raw('onicai/llama_cpp_canister', 'f70a5453fa9cb3ff605f2feeb73547fb06bd9312', 'models/stories260Ktok512.gguf'),
    sha256: '047bf46455a544931cff6fef14d7910154c56afbc23ab1c5e56a72e69912c04b',
  },
};

async function readChecksums(folder) {
  const text = await readFile(join(folder, 'CHECKSUMS'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
      if (!match) throw new Error(`${folder}/CHECKSUMS: cannot read line ${JSON.stringify(line)}`);
      return { sha256: match[1], path: match[2] };
    });
}

const datasets = {};
for (const [name, source] of Object.entries(sources)) {
  const folder = join(shared, 'data', name);
  const title = (await readFile(join(folder, 'SOURCE.md'), 'utf8')).split('\n')[0].replace(/^#\s*/, '');
  const archive = source.archive
    ? { url: raw(source.repo, source.commit, source.archive.path), format: source.archive.format, sha256: source.archive.sha256 }
    : undefined;
  const files = [];
  for (const entry of await readChecksums(folder)) {
    const { size } = await stat(join(folder, entry.path));
    const explicit = source.urls?.[entry.path];
    const upstream = source.upstream?.(entry.path);
    const origin = explicit ?? (upstream ? raw(source.repo, source.commit, upstream) : undefined);
    if (!origin && !archive) throw new Error(`${name}/${entry.path}: no upstream path`);
    files.push({ path: entry.path, sha256: entry.sha256, size, ...(origin ? { url: origin } : { fromArchive: true }) });
  }
  datasets[name] = { title, license: source.license, repository: source.repo, commit: source.commit, ...(archive ? { archive } : {}), files };
}

const modelEntries = {};
for (const [name, model] of Object.entries(models)) {
  const { size } = await stat(join(shared, 'models', name, model.file));
  modelEntries[name] = { title: model.description, license: model.license, files: [{ path: model.file, sha256: model.sha256, size, url: model.url }] };
}

/** JSON with one line per file (diffs of a regenerated manifest stay readable). */
function format(value, indent = '') {
  if (Array.isArray(value)) return `[\n${value.map((entry) => `${indent}  ${JSON.stringify(entry)}`).join(',\n')}\n${indent}]`;
  if (value && typeof value === 'object' && !('sha256' in value && 'url' in value && !('files' in value))) {
    const lines = Object.entries(value).map(([key, entry]) => `${indent}  ${JSON.stringify(key)}: ${format(entry, `${indent}  `)}`);
    return `{\n${lines.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

const manifest = { version: 1, datasets, models: modelEntries };
const output = join(repository, 'src', 'datasets', 'fetch', 'data-manifest.ts');
const text =
  `// Generated by scripts/build-data-manifest.mjs from ../shared/data/*/CHECKSUMS and SOURCE.md; do not edit by hand.\n` +
  `import type { DataManifest } from './data-manifest-types.js';\n\n` +
  `export const dataManifest: DataManifest = ${format(manifest)};\n`;
if (check) {
  const current = await readFile(output, 'utf8').catch(() => '');
  if (current !== text) {
    console.error(`${output} is out of date: run node scripts/build-data-manifest.mjs`);
    process.exit(1);
  }
} else {
  await writeFile(output, text);
}
const count = Object.values(datasets).reduce((total, dataset) => total + dataset.files.length, 0);
console.log(`${output}: ${Object.keys(datasets).length} datasets, ${count} files, ${Object.keys(modelEntries).length} model(s)`);
