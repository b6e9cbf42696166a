import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fetch, type Dispatcher } from 'undici';
import { DataError } from '../../spec/index.js';

/** Progress of one download, in bytes (`total` when the server or the manifest said how many). */
export type DownloadProgress = (received: number, total: number | undefined) => void;

export interface DownloadFileOptions {
  readonly url: string;
  /** The finished file; bytes arrive in `<destination>.part` and are renamed into place once their sha256 matches. */
  readonly destination: string;
  readonly sha256: string;
  readonly size?: number;
  /** undici dispatcher (sextant passes an EnvHttpProxyAgent, so HTTPS_PROXY/HTTP_PROXY/NO_PROXY apply). */
  readonly dispatcher?: Dispatcher;
  readonly onProgress?: DownloadProgress;
  /** What to tell the user to do when the URL cannot be reached (names the manual alternative). */
  readonly offlineHint: string;
  readonly signal?: AbortSignal;
}

const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'ECONNRESET',
]);

/**
 * Download `url` to `destination`, resuming a `.part` file left by an interrupted run (HTTP Range), and keep it
 * only if its sha256 is the expected one: a mismatch removes the partial file and throws. The destination is
 * never half-written (rename of a complete, verified file).
 */
export async function downloadFile(options: DownloadFileOptions): Promise<void> {
  const partial = `${options.destination}.part`;
  await mkdir(dirname(partial), { recursive: true });
  let offset = await stat(partial).then(
    (stats) => stats.size,
    () => 0,
  );
  if (options.size !== undefined && offset > options.size) {
    await rm(partial, { force: true });
    offset = 0;
  }
  const hash = createHash('sha256');
  if (offset > 0 && options.size !== undefined && offset === options.size) {
    // A complete .part from a run that stopped before renaming it.
    await hashFile(partial, hash);
    return finish({ options, partial, digest: hash.digest('hex') });
  }
  const response = await request(options, offset);
  if (offset > 0 && response.status === 206) {
    await hashFile(partial, hash);
  } else {
    offset = 0;
  }
  const total = contentTotal(response.headers.get('content-range'), response.headers.get('content-length'), offset) ?? options.size;
  const file = await open(partial, offset > 0 ? 'a' : 'w');
  let received = offset;
  try {
    if (!response.body) throw new Error('empty response body');
    for await (const chunk of response.body) {
      const bytes = chunk as Uint8Array;
      hash.update(bytes);
      await file.write(bytes);
      received += bytes.length;
      options.onProgress?.(received, total);
    }
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new DataError({
      path: partial,
      message: `the download of ${options.url} was interrupted after ${received} of ${total ?? '?'} bytes (${describeCause(error)}); run the same command again to resume it (kept ${partial})`,
      cause: error,
    });
  } finally {
    await file.close();
  }
  await finish({ options, partial, digest: hash.digest('hex') });
}

async function finish(input: { options: DownloadFileOptions; partial: string; digest: string }): Promise<void> {
  const { options, partial, digest } = input;
  if (digest !== options.sha256) {
    await rm(partial, { force: true });
    throw new DataError({
      path: options.destination,
      message: `checksum mismatch for ${options.url}: expected sha256 ${options.sha256}, got ${digest}; the file was not kept (a corrupted download or a mirror serving other bytes)`,
    });
  }
  await rename(partial, options.destination);
}

async function request(options: DownloadFileOptions, offset: number) {
  let response: Awaited<ReturnType<typeof fetch>>;
  try {
    response = await fetch(options.url, {
      headers: offset > 0 ? { range: `bytes=${offset}-` } : {},
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const code = errorCode(error);
    throw new DataError({
      path: options.destination,
      message: `cannot reach ${options.url}${code && unreachableCodes.has(code) ? ` (${code}: offline, or no route to the host?)` : ''}: ${describeCause(error)}. ${options.offlineHint}`,
      cause: error,
    });
  }
  if (response.status === 416 && offset > 0) {
    // The .part is longer than the file: start again.
    await response.body?.cancel();
    await rm(`${options.destination}.part`, { force: true });
    return request(options, 0);
  }
  if (response.status !== 200 && response.status !== 206) {
    await response.body?.cancel();
    throw new DataError({
      path: options.destination,
      message: `${options.url} answered HTTP ${response.status} ${response.statusText}. ${options.offlineHint}`,
    });
  }
  return response;
}

function contentTotal(contentRange: string | null, contentLength: string | null, offset: number): number | undefined {
  const ranged = contentRange ? /\/(\d+)$/.exec(contentRange) : null;
  if (ranged) return Number(ranged[1]);
  return contentLength ? Number(contentLength) + offset : undefined;
}

async function hashFile(path: string, hash: ReturnType<typeof createHash>): Promise<void> {
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
}

function errorCode(error: unknown): string | undefined {
  for (
    let current = error as { code?: unknown; cause?: unknown } | undefined, depth = 0;
    current && depth < 5;
    current = current.cause as typeof current, depth += 1
  ) {
    if (typeof current.code === 'string') return current.code;
  }
  return undefined;
}

function describeCause(error: unknown): string {
  const messages: string[] = [];
  for (
    let current = error as { message?: unknown; cause?: unknown } | undefined, depth = 0;
    current && depth < 5;
    current = current.cause as typeof current, depth += 1
  ) {
    if (typeof current.message === 'string' && current.message && !messages.includes(current.message)) messages.push(current.message);
  }
  return messages.join(': ') || String(error);
}
