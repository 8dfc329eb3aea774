import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level, so two equal values always produce the same text
 * (and the same hash) whatever order their keys were built in. Arrays keep their order: callers sort
 * the arrays whose order carries no meaning (filter values) before hashing.
 */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (value === undefined) return 'null';
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('non-finite number in a cache key');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

/** sha256 of the stable JSON of `value`, base64url (43 characters): a fixed-length key part. */
export function hashOf(value: unknown): string {
  return createHash('sha256').update(stableStringify(value)).digest('base64url');
}
