/**
 * sextant's one error hierarchy. Every error sextant throws extends {@link EvalError}; the CLI turns them into
 * a message and a non-zero exit code. Identity checks use `Symbol.for` markers (not `instanceof`) so they work
 * across duplicated copies of the package.
 */

const evalErrorMarker = Symbol.for('sextant.error');

/**
 * Values that must never appear in a message or a stored string (API keys, URL userinfo), registered once by the
 * config layer. Process-wide on purpose: an error can be created anywhere (a backend echoing a header, a URL in a
 * network error), and {@link EvalError}'s constructor is the one place every message passes through.
 */
const secrets = new Set<string>();

/** Register a secret (and its JSON- and URL-escaped forms) so that {@link redactText} removes it. Ignores empty values. */
export function registerSecret(value: string | undefined): void {
  if (!value) return;
  for (const form of [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]) if (form) secrets.add(form);
}

/** Forget every registered secret (tests). */
export function clearSecrets(): void {
  secrets.clear();
}

/**
 * `text` with every registered secret replaced by `<redacted>`; with `urls`, also the userinfo of any URL in it
 * (`http://user:key@host` → `http://<redacted>@host`).
 */
export function redactText(text: string, options: { urls?: boolean } = {}): string {
  let out = options.urls ? text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"']*@/gi, '$1<redacted>@') : text;
  if (secrets.size === 0) return out;
  // Longest first, so a secret containing another is removed whole.
  for (const secret of [...secrets].sort((left, right) => right.length - left.length)) {
    if (out.includes(secret)) out = out.split(secret).join('<redacted>');
  }
  return out;
}

/**
 * Base class: `name` is `EVAL_<Kind>Error`; `cause` keeps the underlying error. The message is redacted here, once
 * for every error: registered secrets and URL userinfo never reach a log, a sample record or the terminal.
 */
export class EvalError extends Error {
  private readonly [evalErrorMarker] = true;

  constructor(name: string, message: string, options: { cause?: unknown } = {}) {
    super(redactText(message, { urls: true }), { cause: options.cause });
    this.name = name;
  }

  /** The `name` of this class's instances; `undefined` on the base class. */
  static readonly errorName: string | undefined = undefined;

  /** Whether `error` is any sextant error (by marker, so it works across package copies). Safe to pass as a callback. */
  static isInstance(error: unknown): error is EvalError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[evalErrorMarker] === true;
  }
}

/** A type guard for one error class, by marker and name; needs no `this`, so it can be passed as a callback. */
function guardFor<Instance extends EvalError>(name: string): (error: unknown) => error is Instance {
  return (error: unknown): error is Instance => EvalError.isInstance(error) && error.name === name;
}

/** A config file, CLI flag or config value is invalid. `field` is the dotted path (e.g. `models[0].apiBase`). */
export class ConfigError extends EvalError {
  static override readonly errorName = 'EVAL_ConfigError';
  static override readonly isInstance = guardFor<ConfigError>('EVAL_ConfigError');
  readonly field: string | undefined;
  readonly source: string | undefined;

  constructor(options: { message: string; field?: string; source?: string; cause?: unknown }) {
    const where = [options.source, options.field].filter(Boolean).join(': ');
    super('EVAL_ConfigError', where ? `${where}: ${options.message}` : options.message, { cause: options.cause });
    this.field = options.field;
    this.source = options.source;
  }
}

/** A data file or data root is missing or malformed. `path` names the file or folder. */
export class DataError extends EvalError {
  static override readonly errorName = 'EVAL_DataError';
  static override readonly isInstance = guardFor<DataError>('EVAL_DataError');
  readonly path: string;

  constructor(options: { message: string; path: string; cause?: unknown }) {
    super('EVAL_DataError', options.message, { cause: options.cause });
    this.path = options.path;
  }
}

/**
 * A call to a model backend failed. `isRetryable` is set by the backend from the status code or cause
 * (429, 5xx, timeouts, resets, malformed bodies are retryable; 4xx, and any answer saying the prompt is too long for
 * the model, are not). The runner decides whether to retry; a non-retryable error fails its sample at once and never
 * counts against the endpoint's health.
 */
export class BackendCallError extends EvalError {
  static override readonly errorName = 'EVAL_BackendCallError';
  static override readonly isInstance = guardFor<BackendCallError>('EVAL_BackendCallError');
  readonly url: string | undefined;
  readonly statusCode: number | undefined;
  readonly isRetryable: boolean;
  /** Seconds the server asked us to wait (`Retry-After`), when it said so. */
  readonly retryAfterSeconds: number | undefined;

  constructor(options: { message: string; url?: string; statusCode?: number; isRetryable: boolean; retryAfterSeconds?: number; cause?: unknown }) {
    super('EVAL_BackendCallError', options.message, { cause: options.cause });
    this.url = options.url;
    this.statusCode = options.statusCode;
    this.isRetryable = options.isRetryable;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/**
 * The work dir, a run folder or an output file cannot be used: not a folder, not writable, locked by another
 * process, or the disk is full. `path` names what is wrong.
 */
export class OutputError extends EvalError {
  static override readonly errorName = 'EVAL_OutputError';
  static override readonly isInstance = guardFor<OutputError>('EVAL_OutputError');
  readonly path: string;

  constructor(options: { message: string; path: string; cause?: unknown }) {
    super('EVAL_OutputError', options.message, { cause: options.cause });
    this.path = options.path;
  }
}

/** A backend could not be reached or started at all (before any sample was requested). */
export class BackendUnavailableError extends EvalError {
  static override readonly errorName = 'EVAL_BackendUnavailableError';
  static override readonly isInstance = guardFor<BackendUnavailableError>('EVAL_BackendUnavailableError');
  constructor(options: { message: string; cause?: unknown }) {
    super('EVAL_BackendUnavailableError', options.message, { cause: options.cause });
  }
}

/** The planned work needs something a backend does not declare in its capabilities. */
export class UnsupportedRequestError extends EvalError {
  static override readonly errorName = 'EVAL_UnsupportedRequestError';
  static override readonly isInstance = guardFor<UnsupportedRequestError>('EVAL_UnsupportedRequestError');
  constructor(options: { message: string }) {
    super('EVAL_UnsupportedRequestError', options.message);
  }
}
