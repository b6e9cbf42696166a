import { Agent, request, type Dispatcher } from 'undici';
import { BackendCallError } from '../../spec/index.js';

/**
 * A small JSON-over-HTTP client for one server: keeps connections alive (one pool per client), turns every
 * failure into a {@link BackendCallError} with `isRetryable` set, and never puts the API key in a message.
 */
export class HttpJsonClient {
  private readonly dispatcher: Agent;

  constructor(
    private readonly options: { headers: Readonly<Record<string, string>>; connections?: number },
  ) {
    // pipelining 1 = keep-alive, one request at a time per connection (undici treats 0 as "close after each request").
    this.dispatcher = new Agent({ connections: options.connections ?? 256, keepAliveTimeout: 30_000, pipelining: 1 });
  }

  /** GET or POST JSON; resolves with the parsed body (unvalidated: callers validate with a schema). */
  async json(options: { url: string; method: 'GET' | 'POST'; body?: unknown; signal?: AbortSignal }): Promise<unknown> {
    const response = await this.send(options);
    const text = await response.body.text().catch((error: unknown) => {
      throw networkError(options.url, error);
    });
    return parseJsonBody(options.url, text);
  }

  /** POST and hand back the streaming body (server-sent events), after checking the status. */
  async stream(options: { url: string; body: unknown; signal?: AbortSignal }): Promise<Dispatcher.ResponseData['body']> {
    const response = await this.send({ ...options, method: 'POST' });
    return response.body;
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  private async send(options: { url: string; method: 'GET' | 'POST'; body?: unknown; signal?: AbortSignal }) {
    let response: Dispatcher.ResponseData;
    try {
      response = await request(options.url, {
        method: options.method,
        dispatcher: this.dispatcher,
        headers: { ...this.options.headers, ...(options.body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: options.body === undefined ? null : JSON.stringify(options.body),
        signal: options.signal ?? null,
      });
    } catch (error) {
      throw networkError(options.url, error);
    }
    if (response.statusCode >= 200 && response.statusCode < 300) return response;
    const text = await response.body.text().catch(() => '');
    throw statusError(options.url, response.statusCode, text, response.headers['retry-after']);
  }
}

function parseJsonBody(url: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BackendCallError({
      message: `${url} returned a body that is not JSON: ${JSON.stringify(text.slice(0, 200))}`,
      url,
      isRetryable: true,
      cause: error,
    });
  }
}

/** A response body that did not have the expected shape (retryable: a proxy or a server under load). */
export function malformedResponseError(url: string, problem: string): BackendCallError {
  return new BackendCallError({ message: `${url} returned an unexpected response: ${problem}`, url, isRetryable: true });
}

function statusError(url: string, statusCode: number, body: string, retryAfter: string | string[] | undefined): BackendCallError {
  const retryable = statusCode === 408 || statusCode === 409 || statusCode === 429 || statusCode >= 500;
  const retryAfterSeconds = parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
  return new BackendCallError({
    message: `${url} answered HTTP ${statusCode}: ${describeErrorBody(body)}`,
    url,
    statusCode,
    isRetryable: retryable,
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  });
}

function describeErrorBody(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown; detail?: unknown };
    const message =
      typeof parsed.error === 'object' ? parsed.error?.message : (parsed.error ?? parsed.message ?? parsed.detail);
    if (message !== undefined) return typeof message === 'string' ? message : JSON.stringify(message);
  } catch {
    // not JSON: fall through to the raw text
  }
  return JSON.stringify(body.slice(0, 300));
}

function parseRetryAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

function networkError(url: string, error: unknown): BackendCallError {
  const cause = error as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const code = cause.code ?? cause.cause?.code;
  if (cause.name === 'AbortError' || cause.name === 'TimeoutError' || code === 'UND_ERR_ABORTED') {
    return new BackendCallError({ message: `request to ${url} was aborted (timeout or cancel)`, url, isRetryable: true, cause: error });
  }
  const reason = code === 'ECONNREFUSED' ? 'connection refused' : (code ?? cause.message ?? String(error));
  return new BackendCallError({ message: `cannot reach ${url}: ${reason}`, url, isRetryable: true, cause: error });
}
