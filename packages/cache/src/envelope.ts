import { crc32, gunzipSync, gzip, gzipSync } from 'node:zlib';
import { promisify } from 'node:util';

const gzipAsync = promisify(gzip);

/** Metadata every stored entry carries next to its payload. */
export interface EntryMeta {
  /** Local clock (ms) when the value was computed. */
  createdAt: number;
  /** Logical freshness (ms): fresh while `age < ttl`. */
  ttl: number;
  /** After `ttl`, how long the value is served while one caller refreshes it (stale-while-revalidate). */
  grace: number;
  /** After `ttl`, how long the value may be served when the loader fails (stale-if-error). */
  staleIfError: number;
  /** Version of the source data the value was computed from (a dataset's load counter), or null. */
  dataVersion: number | null;
  tags: string[];
  /**
   * Redis time (ms) taken before the loader started: a tag invalidated at or after it makes the entry
   * invalid, so a load that raced an invalidation can never resurrect old data.
   */
  asOf: number;
  /** How long the loader took (ms): XFetch's delta, and the warehouse time a hit saves (Q17.4). */
  cost: number;
}

export type Codec = 'json' | 'json+gzip';

export interface Envelope<T = unknown> extends EntryMeta {
  v: 1;
  codec: Codec;
  /** CRC-32 of everything after the checksum field. */
  checksum: number;
  payload: T;
}

export class CorruptEntryError extends Error {
  constructor(reason: string) {
    super(`corrupt cache entry: ${reason}`);
    this.name = 'CorruptEntryError';
  }
}

export interface EncodeOptions {
  /** Compress payloads larger than this (bytes). */
  compressAboveBytes: number;
}

export interface Encoded {
  bytes: Buffer;
  codec: Codec;
  /** Size of the uncompressed JSON payload. */
  rawBytes: number;
}

// Layout: magic "CBE1" | crc32 (uint32 BE) of the rest | header length (uint32 BE) | header JSON | payload.
const MAGIC = Buffer.from('CBE1', 'latin1');
const HEADER_AT = 12;
// Above this, compression runs on the libuv pool instead of blocking the event loop.
const ASYNC_COMPRESS_BYTES = 64 * 1024;

/** Q18.1, Q19.2: versioned, checksummed, optionally gzip-compressed binary envelope. */
export async function encodeEnvelope(meta: EntryMeta, value: unknown, options: EncodeOptions): Promise<Encoded> {
  const json = Buffer.from(JSON.stringify(value), 'utf8');
  let codec: Codec = 'json';
  let payload = json;
  if (json.length > options.compressAboveBytes) {
    const compressed = json.length > ASYNC_COMPRESS_BYTES ? await gzipAsync(json) : gzipSync(json);
    // Incompressible payloads stay as they are rather than grow.
    if (compressed.length < json.length) {
      payload = compressed;
      codec = 'json+gzip';
    }
  }
  const header = Buffer.from(JSON.stringify({ ...meta, v: 1, codec, rawBytes: json.length }), 'utf8');
  const bytes = Buffer.allocUnsafe(HEADER_AT + header.length + payload.length);
  MAGIC.copy(bytes, 0);
  bytes.writeUInt32BE(header.length, 8);
  header.copy(bytes, HEADER_AT);
  payload.copy(bytes, HEADER_AT + header.length);
  bytes.writeUInt32BE(crc32(bytes.subarray(8)), 4);
  return { bytes, codec, rawBytes: json.length };
}

interface Header extends EntryMeta {
  v: number;
  codec: Codec;
  rawBytes: number;
}

function isHeader(value: unknown): value is Header {
  if (typeof value !== 'object' || value === null) return false;
  const h = value as Record<string, unknown>;
  return (
    h.v === 1 &&
    (h.codec === 'json' || h.codec === 'json+gzip') &&
    ['createdAt', 'ttl', 'grace', 'staleIfError', 'asOf', 'cost', 'rawBytes'].every((k) => typeof h[k] === 'number') &&
    (h.dataVersion === null || typeof h.dataVersion === 'number') &&
    Array.isArray(h.tags) &&
    h.tags.every((t) => typeof t === 'string')
  );
}

/** Reads the header only (admin views): cheap, no decompression. Throws {@link CorruptEntryError}. */
export function decodeHeader(bytes: Buffer): Header & { checksum: number; payloadBytes: number } {
  if (bytes.length < HEADER_AT || !bytes.subarray(0, 4).equals(MAGIC)) throw new CorruptEntryError('bad magic');
  const checksum = bytes.readUInt32BE(4);
  if (crc32(bytes.subarray(8)) !== checksum) throw new CorruptEntryError('checksum mismatch');
  const headerLength = bytes.readUInt32BE(8);
  if (HEADER_AT + headerLength > bytes.length) throw new CorruptEntryError('truncated header');
  let header: unknown;
  try {
    header = JSON.parse(bytes.subarray(HEADER_AT, HEADER_AT + headerLength).toString('utf8'));
  } catch {
    throw new CorruptEntryError('header is not JSON');
  }
  if (!isHeader(header)) throw new CorruptEntryError('header fields missing');
  return { ...header, checksum, payloadBytes: bytes.length - HEADER_AT - headerLength };
}

/** Verifies and decodes an envelope; any damage is a {@link CorruptEntryError}, never a half-read value. */
export function decodeEnvelope<T = unknown>(bytes: Buffer): Envelope<T> {
  const header = decodeHeader(bytes);
  const headerLength = bytes.readUInt32BE(8);
  let json = bytes.subarray(HEADER_AT + headerLength);
  if (header.codec === 'json+gzip') {
    try {
      // Bounded by the size recorded at write time: a damaged stream cannot inflate without limit.
      json = gunzipSync(json, { maxOutputLength: Math.max(header.rawBytes, 1) });
    } catch {
      throw new CorruptEntryError('payload does not decompress');
    }
  }
  if (json.length !== header.rawBytes) throw new CorruptEntryError('payload length differs from header');
  let payload: T;
  try {
    payload = JSON.parse(json.toString('utf8')) as T;
  } catch {
    throw new CorruptEntryError('payload is not JSON');
  }
  const { rawBytes: _raw, payloadBytes: _stored, ...meta } = header;
  return { ...meta, v: 1, payload };
}
