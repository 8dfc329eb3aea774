/**
 * One stream entry carries the events recorded in one event-loop turn (group commit): a JSON array
 * under field `e`, with the entry format version under `v`.
 */
export const STREAM_ENTRY_VERSION = '1';

export function encodeStreamEntry(events: readonly unknown[]): string[] {
  return ['v', STREAM_ENTRY_VERSION, 'e', JSON.stringify(events)];
}

export type StreamEntryDecoding = { ok: true; events: unknown[] } | { ok: false; reason: string };

export function decodeStreamEntry(fields: readonly string[] | null): StreamEntryDecoding {
  if (!fields) return { ok: false, reason: 'entry has no fields (deleted)' };
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i]!, fields[i + 1]!);
  if (map.get('v') !== STREAM_ENTRY_VERSION) return { ok: false, reason: `unknown entry version ${map.get('v')}` };
  try {
    const events: unknown = JSON.parse(map.get('e') ?? '');
    return Array.isArray(events) ? { ok: true, events } : { ok: false, reason: 'field e is not an array' };
  } catch {
    return { ok: false, reason: 'field e is not JSON' };
  }
}

/**
 * ioredis prefixes the key of most stream commands but not of container commands (XGROUP, XINFO);
 * those get the prefix added here.
 */
export function prefixedKey(keyPrefix: string | undefined, key: string): string {
  return `${keyPrefix ?? ''}${key}`;
}
