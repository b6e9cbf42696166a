// A loopback HTTP mirror of the upstream data sources: it serves files from ../shared under the URL paths the
// shipped manifest records (raw.githubusercontent.com/<owner>/<repo>/<commit>/<path> → /<owner>/<repo>/<commit>/<path>),
// speaks HTTP Range (206 + Content-Range), and also answers as an HTTP forward proxy (absolute-form request URLs), so
// HTTP_PROXY can be tested without leaving loopback. Faults: a corrupted byte, a connection dropped mid-file once.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataManifest } from '../../src/datasets/fetch/data-manifest-types.js';

export const SHARED_DIR = resolve(fileURLToPath(new URL('../../', import.meta.url)), '..', 'shared');

/** A request the mirror received. */
export interface MirrorRequest {
  readonly path: string;
  readonly range: string | undefined;
  /** Sent through the server as a proxy (absolute-form URL, or a CONNECT tunnel), with the host it named. */
  readonly proxiedHost: string | undefined;
}

export interface DataMirror {
  readonly url: string;
  readonly requests: MirrorRequest[];
  /** Serve `path` with one byte changed. */
  corrupt(path: string): void;
  /** The next response for `path` sends about half its bytes, then destroys the connection. */
  dropOnce(path: string): void;
  /** Forget the faults and the recorded requests. */
  reset(): void;
  /** Serve these bytes under `path` (e.g. an archive a test built). */
  serveBytes(path: string, bytes: Uint8Array): void;
  close(): Promise<void>;
}

/** The mirror's routes for every file of `manifest` that has its own URL: URL path → file under ../shared. */
export function routesFromManifest(manifest: DataManifest, shared = SHARED_DIR): Map<string, string> {
  const routes = new Map<string, string>();
  for (const [kind, entries] of [
    ['data', manifest.datasets],
    ['models', manifest.models],
  ] as const) {
    for (const [name, entry] of Object.entries(entries)) {
      for (const file of entry.files) if (file.url) routes.set(new URL(file.url).pathname, join(shared, kind, name, file.path));
    }
  }
  return routes;
}

export async function startDataMirror(options: { routes: Map<string, string> }): Promise<DataMirror> {
  const requests: MirrorRequest[] = [];
  const corrupted = new Set<string>();
  const drops = new Set<string>();
  const bytesRoutes = new Map<string, Uint8Array>();
  const server: Server = createServer((request, response) => {
    void (async () => {
      const absolute = /^https?:\/\//.test(request.url ?? '');
      const url = new URL(request.url ?? '/', 'http://mirror.invalid');
      const path = decodeURIComponent(url.pathname);
      const range = request.headers.range;
      const tunnelled = request.socket.remoteAddress === '127.0.0.1' && tunnelHost !== undefined && request.headers.host?.startsWith(tunnelHost) === true;
      requests.push({ path, range, proxiedHost: absolute ? url.host : tunnelled ? tunnelHost : undefined });
      let bytes = bytesRoutes.get(path);
      if (!bytes) {
        const file = options.routes.get(path);
        if (
          !file ||
          !(await stat(file).then(
            (stats) => stats.isFile(),
            () => false,
          ))
        ) {
          response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
          return;
        }
        bytes = corrupted.has(path) || drops.has(path) || range ? await readFile(file) : undefined;
        if (!bytes) {
          const { size } = await stat(file);
          response.writeHead(200, { 'content-length': size, 'content-type': 'application/octet-stream' });
          createReadStream(file).pipe(response);
          return;
        }
      }
      if (corrupted.has(path)) {
        bytes = Buffer.from(bytes);
        const middle = Math.floor(bytes.length / 2);
        bytes[middle] = bytes[middle]! ^ 0x01;
      }
      const match = range ? /^bytes=(\d+)-$/.exec(range) : null;
      const start = match ? Number(match[1]) : 0;
      if (start > bytes.length) {
        response.writeHead(416, { 'content-range': `bytes */${bytes.length}` }).end();
        return;
      }
      const body = bytes.subarray(start);
      response.writeHead(match ? 206 : 200, {
        'content-length': body.length,
        'content-type': 'application/octet-stream',
        ...(match ? { 'content-range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` } : {}),
      });
      if (drops.has(path)) {
        drops.delete(path);
        const half = Math.floor(body.length / 2);
        response.write(body.subarray(0, half), () => setTimeout(() => response.socket?.destroy(), 20));
        return;
      }
      response.end(body);
    })().catch((error: unknown) => {
      response.destroy(error as Error);
    });
  });
  // As a CONNECT proxy (what undici's ProxyAgent sends): every tunnel leads back to this server, whatever host it names.
  let tunnelHost: string | undefined;
  server.on('connect', (request, socket, head) => {
    tunnelHost = request.url?.replace(/:\d+$/, '');
    const upstream = connect((server.address() as AddressInfo).port, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    corrupt: (path) => corrupted.add(path),
    dropOnce: (path) => drops.add(path),
    serveBytes: (path, bytes) => bytesRoutes.set(path, bytes),
    reset: () => {
      corrupted.clear();
      drops.clear();
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
