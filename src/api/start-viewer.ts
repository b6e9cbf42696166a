import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createViewerHandler } from '../viewer/create-viewer-handler.js';
import { ViewerStore } from '../viewer/viewer-store.js';

/** Options for {@link startViewer}. */
export interface StartViewerOptions {
  /** Root of the run folders (`<workDir>/<YYYYmmdd_HHMMSS>/`), as given to `sextant run -w`. */
  readonly workDir: string;
  /**
   * Interface to listen on. Anything other than a loopback address exposes the runs (prompts, predictions, model
   * endpoints) to the network.
   * @default '127.0.0.1'
   */
  readonly host?: string;
  /** TCP port; 0 picks a free one (read it from `url`). @default 0 */
  readonly port?: number;
}

/** A running viewer. */
export interface RunningViewer {
  /** Where it listens, e.g. `http://127.0.0.1:43117/`. */
  readonly url: string;
  /** Stop listening and drop open connections. */
  close(): Promise<void>;
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1']);

export { resolveWorkDir, type ResolvedWorkDir } from '../store/index.js';

/** Whether `host` is a loopback address (`127.0.0.0/8`, `::1`, `localhost`): only this machine can connect. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return loopbackHosts.has(bare) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare) || bare === '::ffff:127.0.0.1';
}

/**
 * Serve a read-only web UI over a work dir's runs: the run list, each run's summary, a paged and filterable sample
 * browser per (model, dataset), single samples, and run-against-run comparisons. Pages are rendered from the files
 * on each request (nothing is loaded up front); sample logs are read through a cached line-offset index, so the
 * first page of a 100,000-sample log costs one scan of the file plus reading 50 lines.
 */
export async function startViewer({ workDir, host = '127.0.0.1', port = 0 }: StartViewerOptions): Promise<RunningViewer> {
  const store = new ViewerStore(workDir);
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const allowedHosts = isLoopbackHost(host) ? new Set(['127.0.0.1', 'localhost', '[::1]'].map((name) => `${name}:${address.port}`)) : undefined;
  server.on('request', createViewerHandler({ store, ...(allowedHosts ? { allowedHosts } : {}) }));
  return {
    url: `http://${urlHost}:${address.port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
