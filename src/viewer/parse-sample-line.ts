import type { SampleRecord } from '../store/index.js';

/**
 * One line of a per-sample log as a {@link SampleRecord}, or `undefined` when it is not one (a torn line after a
 * crash, or anything else that is not a record object). Checks the fields the viewer relies on; the rest is shown as stored.
 */
export function parseSampleLine(text: string): SampleRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const index = record['index'];
  if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) return undefined;
  if (typeof record['key'] !== 'string' || typeof record['prediction'] !== 'string') return undefined;
  if (record['gold'] !== undefined && typeof record['gold'] !== 'string') return undefined;
  if (record['error'] !== undefined && typeof record['error'] !== 'string') return undefined;
  return { ...(record as unknown as SampleRecord), gold: (record['gold'] as string | undefined) ?? '' };
}
