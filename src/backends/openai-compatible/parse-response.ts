import type { z } from 'zod';
import { malformedResponseError } from './http-json-client.js';

/** Validate a response body with `schema`; a mismatch becomes a retryable {@link BackendCallError} naming the field. */
export function parseResponse<Schema extends z.ZodType>(schema: Schema, value: unknown, url: string): z.infer<Schema> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw malformedResponseError(url, `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
