import type { IncomingMessage, ServerResponse } from 'node:http';
import { renderErrorPage } from './render-error-page.js';
import { comparePage, runPage, runsPage } from './run-pages.js';
import { samplePage, samplesPage } from './sample-pages.js';
import { ViewerRequestError } from './viewer-request-error.js';
import type { ViewerStore } from './viewer-store.js';

const headers = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};

function segments(pathname: string): string[] {
  try {
    return pathname
      .split('/')
      .filter(Boolean)
      .map((segment) => decodeURIComponent(segment));
  } catch (error) {
    throw new ViewerRequestError({ status: 400, message: 'the address is not valid URL encoding', cause: error });
  }
}

/** The page for a path, or a 404. Async, so that anything thrown becomes a rejection the caller answers. */
async function route(store: ViewerStore, url: URL): Promise<string> {
  const parts = segments(url.pathname);
  const [first, run, section, model, dataset, sampleIndex, ...rest] = parts;
  if (parts.length === 0) return runsPage(store);
  if (first === 'compare' && parts.length === 1) return comparePage(store, url.searchParams);
  if (first === 'runs' && run !== undefined && rest.length === 0) {
    if (section === undefined) return runPage(store, run);
    if (section === 'samples' && model !== undefined && dataset !== undefined) {
      const location = { run, model, dataset, params: url.searchParams };
      return sampleIndex === undefined ? samplesPage(store, location) : samplePage(store, { ...location, sampleIndex });
    }
  }
  throw new ViewerRequestError({ status: 404, message: `there is no page at ${url.pathname}` });
}

function send(request: IncomingMessage, response: ServerResponse, status: number, body: string): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  response.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
  response.end(request.method === 'HEAD' ? undefined : body);
}

/**
 * The viewer's request handler: read-only GET pages rendered from the store. Bad addresses and parameters answer
 * 400/404 pages and anything unexpected a 500 page; no error escapes. With `allowedHosts`, a request whose `Host`
 * header is not one of them is refused (a web page cannot reach a loopback-bound viewer through DNS rebinding).
 */
export function createViewerHandler(options: {
  store: ViewerStore;
  allowedHosts?: ReadonlySet<string>;
}): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const host = (request.headers.host ?? '').toLowerCase();
    if (options.allowedHosts && !options.allowedHosts.has(host)) {
      send(
        request,
        response,
        403,
        renderErrorPage({ status: 403, message: `this viewer answers only requests addressed to ${[...options.allowedHosts].join(' or ')}` }),
      );
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      send(request, response, 405, renderErrorPage({ status: 405, message: 'the viewer only reads; use GET' }));
      return;
    }
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'http://viewer.invalid');
    } catch {
      send(request, response, 400, renderErrorPage({ status: 400, message: 'the address is not valid' }));
      return;
    }
    route(options.store, url)
      .then(
        (body) => send(request, response, 200, body),
        (error: unknown) => {
          const known = ViewerRequestError.isInstance(error);
          const status = known ? error.status : 500;
          const message = known ? error.message : `the page could not be built: ${error instanceof Error ? error.message : String(error)}`;
          if (!known) process.stderr.write(`sextant view: ${request.url}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
          send(request, response, status, renderErrorPage({ status, message }));
        },
      )
      .catch(() => response.destroy());
  };
}
