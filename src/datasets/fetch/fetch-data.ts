import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { EnvHttpProxyAgent, type Dispatcher } from 'undici';
import { ConfigError, DataError } from '../../spec/index.js';
import { writeFileAtomic } from '../../utils/atomic-write.js';
import { closestNames } from '../../utils/closest-names.js';
import { dataManifest } from './data-manifest.js';
import type { DataManifest, ManifestEntry, ManifestFile } from './data-manifest-types.js';
import { downloadFile, type DownloadProgress } from './download-file.js';

/** A named set of entries: `demo` is what `npm run demo` reads (C-Eval and the demo model). */
export const dataGroups: Readonly<Record<string, readonly string[]>> = { demo: ['ceval', 'stories260K-gguf'] };

/** One fetchable folder: a dataset (`<root>/<name>`) or a model (`<root>/models/<name>`). */
export interface DataTarget {
  readonly name: string;
  readonly kind: 'dataset' | 'model';
  readonly entry: ManifestEntry;
  /** The folder it goes to. */
  readonly folder: string;
}

/** Hooks for progress output (the CLI draws a bar on a TTY, plain lines otherwise). */
export interface DataFetchReporter {
  onFileStart?(event: { target: string; file: string; url: string; size: number | undefined }): void;
  onFileProgress?(event: { target: string; file: string; received: number; total: number | undefined }): void;
  onFileEnd?(event: { target: string; file: string; status: 'fetched' | 'present' | 'extracted'; size: number }): void;
}

export interface FetchDataOptions {
  /** Dataset or model names, or a group (`demo`), or `all` (every dataset). */
  readonly names: readonly string[];
  /** The data root. */
  readonly root: string;
  /** A base URL that replaces the upstream origin (`https://raw.githubusercontent.com`), keeping the paths. */
  readonly mirror?: string;
  /** @default the manifest shipped with sextant */
  readonly manifest?: DataManifest;
  /** @default an EnvHttpProxyAgent (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) */
  readonly dispatcher?: Dispatcher;
  readonly reporter?: DataFetchReporter;
  readonly signal?: AbortSignal;
}

/** The folders `names` stand for, in order, without repeats; an unknown name fails with close suggestions. */
export function resolveDataTargets(options: { names: readonly string[]; root: string; manifest?: DataManifest }): DataTarget[] {
  const manifest = options.manifest ?? dataManifest;
  const expanded = options.names.flatMap((name) => (name === 'all' ? Object.keys(manifest.datasets) : (dataGroups[name] ?? [name])));
  const targets: DataTarget[] = [];
  for (const name of [...new Set(expanded)]) {
    const dataset = manifest.datasets[name];
    const model = manifest.models[name];
    if (dataset) targets.push({ name, kind: 'dataset', entry: dataset, folder: join(options.root, name) });
    else if (model) targets.push({ name, kind: 'model', entry: model, folder: join(options.root, 'models', name) });
    else {
      const known = [...Object.keys(manifest.datasets), ...Object.keys(manifest.models), ...Object.keys(dataGroups), 'all'];
      const suggestions = closestNames(name, known);
      throw new ConfigError({
        field: 'data',
        message: `unknown data "${name}"${suggestions.length > 0 ? `; did you mean ${suggestions.map((entry) => `"${entry}"`).join(' or ')}?` : ''} (known: ${known.join(', ')})`,
      });
    }
  }
  return targets;
}

/** The URL to request: the upstream one, or the same path under `mirror`. */
export function mirroredUrl(url: string, mirror: string | undefined): string {
  if (!mirror) return url;
  const upstream = new URL(url);
  return `${mirror.replace(/\/+$/, '')}${upstream.pathname}`;
}

/**
 * Fetch every file of the named datasets and models into the data root, verified against the shipped sha256
 * manifest. Files already present with the right checksum are kept; an interrupted download resumes; nothing
 * unverified is ever left under its final name. Returns the folders fetched.
 */
export async function fetchData(options: FetchDataOptions): Promise<DataTarget[]> {
  const targets = resolveDataTargets(options);
  const dispatcher = options.dispatcher ?? new EnvHttpProxyAgent();
  try {
    for (const target of targets) await fetchTarget({ ...options, target, dispatcher });
  } finally {
    if (!options.dispatcher) await dispatcher.close();
  }
  return targets;
}

async function fetchTarget(options: FetchDataOptions & { target: DataTarget; dispatcher: Dispatcher }): Promise<void> {
  const { target, reporter } = options;
  const needed: ManifestFile[] = [];
  for (const file of target.entry.files) {
    const path = join(target.folder, file.path);
    if ((await fileSha256(path)) === file.sha256) reporter?.onFileEnd?.({ target: target.name, file: file.path, status: 'present', size: file.size });
    else needed.push(file);
  }
  const offlineHint = offlineAdvice(target, options.root);
  for (const file of needed.filter((entry) => entry.url)) {
    const url = mirroredUrl(file.url as string, options.mirror);
    reporter?.onFileStart?.({ target: target.name, file: file.path, url, size: file.size });
    await downloadFile({
      url,
      destination: join(target.folder, file.path),
      sha256: file.sha256,
      size: file.size,
      dispatcher: options.dispatcher,
      offlineHint,
      onProgress: progressFor(reporter, target.name, file.path),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    reporter?.onFileEnd?.({ target: target.name, file: file.path, status: 'fetched', size: file.size });
  }
  const fromArchive = needed.filter((entry) => entry.fromArchive);
  if (fromArchive.length > 0) await fetchFromArchive({ ...options, files: fromArchive, offlineHint });
}

async function fetchFromArchive(
  options: FetchDataOptions & { target: DataTarget; dispatcher: Dispatcher; files: readonly ManifestFile[]; offlineHint: string },
): Promise<void> {
  const { target, reporter } = options;
  const archive = target.entry.archive;
  if (!archive) throw new DataError({ path: target.folder, message: `manifest entry ${target.name} lists archive members but no archive` });
  const url = mirroredUrl(archive.url, options.mirror);
  const archivePath = join(options.root, '.downloads', target.name, basename(new URL(archive.url).pathname));
  reporter?.onFileStart?.({ target: target.name, file: basename(archivePath), url, size: undefined });
  await downloadFile({
    url,
    destination: archivePath,
    sha256: archive.sha256,
    dispatcher: options.dispatcher,
    offlineHint: options.offlineHint,
    onProgress: progressFor(reporter, target.name, basename(archivePath)),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const bytes = await readFile(archivePath);
  reporter?.onFileEnd?.({ target: target.name, file: basename(archivePath), status: 'fetched', size: bytes.length });
  const members = archive.format === 'gzip' ? gzipMember(bytes, options.files) : zipMembers(bytes, options.files, url);
  for (const file of options.files) {
    const content = members.get(file.path);
    if (!content) throw new DataError({ path: archivePath, message: `${url} has no member ${file.path}` });
    const digest = createHash('sha256').update(content).digest('hex');
    if (digest !== file.sha256) {
      throw new DataError({
        path: archivePath,
        message: `checksum mismatch for ${file.path} in ${url}: expected sha256 ${file.sha256}, got ${digest}; the file was not written`,
      });
    }
    await writeFileAtomic(join(target.folder, file.path), content);
    reporter?.onFileEnd?.({ target: target.name, file: file.path, status: 'extracted', size: content.length });
  }
  await rm(dirname(archivePath), { recursive: true, force: true });
}

/** Zip members by manifest path: the member whose name is the path or ends with `/<path>` (archives nest folders). */
function zipMembers(bytes: Uint8Array, files: readonly ManifestFile[], url: string): Map<string, Uint8Array> {
  const wanted = new Set(files.map((file) => file.path));
  const matchOf = (name: string): string | undefined => {
    for (let candidate = name; ; candidate = candidate.slice(candidate.indexOf('/') + 1)) {
      if (wanted.has(candidate)) return candidate;
      if (!candidate.includes('/')) return undefined;
    }
  };
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, { filter: (member) => matchOf(member.name) !== undefined });
  } catch (error) {
    throw new DataError({ path: url, message: `${url} is not a readable zip archive: ${(error as Error).message}`, cause: error });
  }
  const result = new Map<string, Uint8Array>();
  for (const [name, content] of Object.entries(entries)) {
    const path = matchOf(name);
    if (path && !result.has(path)) result.set(path, content);
  }
  return result;
}

function gzipMember(bytes: Uint8Array, files: readonly ManifestFile[]): Map<string, Uint8Array> {
  const [file] = files;
  return new Map(file ? [[file.path, new Uint8Array(gunzipSync(bytes))]] : []);
}

function progressFor(reporter: DataFetchReporter | undefined, target: string, file: string): DownloadProgress | undefined {
  if (!reporter?.onFileProgress) return undefined;
  return (received, total) => reporter.onFileProgress?.({ target, file, received, total });
}

function offlineAdvice(target: DataTarget, root: string): string {
  const where = target.kind === 'dataset' ? `${target.name}/` : `models/${target.name}/`;
  return (
    `If this machine cannot reach it, get the files elsewhere (from ${target.entry.repository ?? 'upstream'}${target.entry.commit ? ` at commit ${target.entry.commit}` : ''}), ` +
    `put them in a folder as ${where} and pass --data-dir DIR (or SEXTANT_DATA_DIR=DIR), or fetch from a mirror with the same paths: --mirror URL (data root here: ${root})`
  );
}

/** The sha256 of a file, or `undefined` when it does not exist. */
export async function fileSha256(path: string): Promise<string | undefined> {
  const exists = await stat(path).then(
    (stats) => stats.isFile(),
    () => false,
  );
  if (!exists) return undefined;
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
