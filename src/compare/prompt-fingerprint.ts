import { sha256Hex } from '../utils/index.js';

/**
 * A short fingerprint of a sequence of rendered prompts: the first 12 hex digits of sha256 over their JSON
 * serialisations joined by newlines. Equal prompts in equal order give equal fingerprints.
 */
export function promptFingerprint(prompts: Iterable<unknown>): string {
  const parts: string[] = [];
  for (const prompt of prompts) parts.push(JSON.stringify(prompt ?? null));
  return sha256Hex(parts.join('\n')).slice(0, 12);
}

/**
 * Whether two stored prompts (strings, or API turn lists of `{ role, prompt }`) are the same. Structural, so no
 * prompt is serialised or hashed unless they differ; key order does not matter.
 */
export function samePrompt(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return false;
  if (Array.isArray(left) !== Array.isArray(right)) return false;
  if (Array.isArray(left)) {
    const other = right as unknown[];
    return left.length === other.length && left.every((item, index) => samePrompt(item, other[index]));
  }
  const leftRecord = left as Record<string, unknown>;
  const rightRecord = right as Record<string, unknown>;
  const keys = Object.keys(leftRecord);
  return (
    keys.length === Object.keys(rightRecord).length && keys.every((key) => Object.hasOwn(rightRecord, key) && samePrompt(leftRecord[key], rightRecord[key]))
  );
}
