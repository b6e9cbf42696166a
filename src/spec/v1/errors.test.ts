import { afterEach, describe, expect, it } from 'vitest';
import { BackendCallError, clearSecrets, ConfigError, redactText, registerSecret } from './errors.js';

afterEach(() => clearSecrets());

describe('redaction at the one place errors are created', () => {
  it('every EvalError message loses registered secrets (raw, JSON-escaped, URL-encoded) and URL userinfo', () => {
    registerSecret('sk-"quoted"/key');
    const error = new BackendCallError({
      message:
        'http://u:p%40ss@127.0.0.1:1/v1 answered HTTP 401: bad token Bearer sk-"quoted"/key, body {"auth":"Bearer sk-\\"quoted\\"/key"}, url ?k=sk-%22quoted%22%2Fkey',
      isRetryable: false,
    });
    expect(error.message).toBe(
      'http://<redacted>@127.0.0.1:1/v1 answered HTTP 401: bad token Bearer <redacted>, body {"auth":"Bearer <redacted>"}, url ?k=<redacted>',
    );
    expect(new ConfigError({ field: 'apiKey', message: 'sk-"quoted"/key is wrong' }).message).toBe('apiKey: <redacted> is wrong');
  });

  it('redactText leaves text alone when nothing is registered, and empty secrets are ignored', () => {
    registerSecret('');
    registerSecret(undefined);
    expect(redactText('nothing to hide at http://host/v1')).toBe('nothing to hide at http://host/v1');
    expect(redactText('see http://a:b@host/', { urls: true })).toBe('see http://<redacted>@host/');
  });
});
