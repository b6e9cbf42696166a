import { Agent, request, type Dispatcher } from 'undici';
import { BackendCallError } from '../../spec/index.js';

/**
 * A small JSON-over-HTTP client for one server: keeps connections alive (one pool per client), turns every
 * failure into a {@link BackendCallError} with `isRetryable` set, and never puts the API key in a message.
 */
export class HttpJsonClient {
  private readonly dispatcher: Agent;

  constructor(private readonly options: { headers: Readonly<Record<string, string>>; connections?: number }) {
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
    throw statusError(options.url, response.statusCode, text, response.headers);
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

/**
 * Bodies by which engines say a prompt does not fit the model, whatever the status: vLLM's 400 ("This model's maximum
 * context length is N tokens. However, you requested M tokens …", newer: "… is too long to fit into the model"),
 * LMDeploy's session_len check ("… exceeds session_len …", `ResponseType.INPUT_LENGTH_ERROR`), and the usual
 * "prompt is too long" / "context length exceeded" wordings. The same prompt fails again: never retryable.
 */
const promptTooLong =
  /maximum context length is \d+|too long to fit into the model|exceeds? (?:the )?session_len|INPUT_LENGTH_ERROR|prompt is too long|context[_ ]length[_ ]exceeded|input (?:is )?too long/i;

/** Whether an error text says the prompt is too long for the model. */
export function saysPromptTooLong(text: string): boolean {
  return promptTooLong.test(text);
}

function statusError(url: string, statusCode: number, body: string, headers: Dispatcher.ResponseData['headers']): BackendCallError {
  const header = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const detail = describeErrorBody(body);
  const tooLong = saysPromptTooLong(body);
  const retryable = !tooLong && (statusCode === 408 || statusCode === 409 || statusCode === 429 || statusCode >= 500);
  const retryAfterSeconds = parseRetryAfter(header('retry-after'));
  return new BackendCallError({
    message: `${url} answered HTTP ${statusCode}: ${detail}${meaningOf(statusCode, tooLong, header('location'))}`,
    url,
    statusCode,
    isRetryable: retryable,
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  });
}

/** What a status means for the user, appended to the server's own message. */
function meaningOf(statusCode: number, tooLong: boolean, location: string | undefined): string {
  if (tooLong) return ' (the prompt is too long for the model: this sample fails, the run goes on)';
  if (statusCode >= 300 && statusCode < 400) {
    return ` (a redirect${location ? ` to ${location}` : ' without a Location'}: sextant does not follow redirects; fix --api-base${location ? ' to the URL the server names' : ''})`;
  }
  if (statusCode === 401) return ' (the server refused the API key: check --api-key or OPENAI_API_KEY)';
  if (statusCode === 403) return ' (the API key may not use this model or route: check the key and --model-name)';
  if (statusCode === 404) return " (not found: check --api-base (the server's /v1 URL) and the model name, --model-name)";
  if (statusCode === 413) return ' (the request is too large for the server)';
  return '';
}

function describeErrorBody(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown; detail?: unknown };
    const message = typeof parsed.error === 'object' ? parsed.error?.message : (parsed.error ?? parsed.message ?? parsed.detail);
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
