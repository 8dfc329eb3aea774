import { CorruptEntryError, decodeEnvelope, decodeHeader, encodeEnvelope, type EntryMeta } from '../src';

const meta: EntryMeta = {
  createdAt: 1_700_000_000_000,
  ttl: 60_000,
  grace: 10_000,
  staleIfError: 600_000,
  dataVersion: 7,
  tags: ['dataset:sales', 'region:EMEA'],
  asOf: 1_700_000_000_000,
  cost: 123.4,
};

const rows = Array.from({ length: 500 }, (_, i) => ({ region: 'EMEA', month: `2024-${(i % 12) + 1}`, revenue: i * 3 }));

describe('cache envelope', () => {
  it('When a value is encoded and decoded, then value and metadata come back intact', async () => {
    const { bytes } = await encodeEnvelope(meta, { rows: rows.slice(0, 3) }, { compressAboveBytes: 1024 });
    const envelope = decodeEnvelope(bytes);

    expect(envelope).toEqual({
      ...meta,
      v: 1,
      codec: 'json',
      checksum: expect.any(Number),
      payload: { rows: rows.slice(0, 3) },
    });
  });

  it('When the payload is above the threshold, then it is gzip-compressed and smaller', async () => {
    const { bytes, codec, rawBytes } = await encodeEnvelope(meta, rows, { compressAboveBytes: 1024 });

    expect(codec).toBe('json+gzip');
    expect(bytes.length).toBeLessThan(rawBytes / 4);
    expect(decodeEnvelope(bytes).payload).toEqual(rows);
  });

  it('When one byte of the payload flips, then decoding fails with a corrupt-entry error', async () => {
    const { bytes } = await encodeEnvelope(meta, rows, { compressAboveBytes: 1024 });
    const damaged = Buffer.from(bytes);
    damaged[damaged.length - 10] ^= 0xff;

    expect(() => decodeEnvelope(damaged)).toThrow(CorruptEntryError);
    expect(() => decodeEnvelope(damaged)).toThrow(/checksum mismatch/);
  });

  it.each([
    ['invalid JSON', Buffer.from('{"rows": [1, 2,', 'utf8')],
    ['an empty value', Buffer.alloc(0)],
    ['a truncated envelope', Buffer.from('CBE1\0\0', 'latin1')],
  ])('When the stored bytes are %s, then decoding fails with a corrupt-entry error', (_name, bytes) => {
    expect(() => decodeEnvelope(bytes)).toThrow(CorruptEntryError);
  });

  it('When only the header is needed (admin view), then it is read without touching the payload', async () => {
    const { bytes } = await encodeEnvelope(meta, rows, { compressAboveBytes: 1024 });

    expect(decodeHeader(bytes)).toMatchObject({ ...meta, codec: 'json+gzip', rawBytes: expect.any(Number) });
  });
});
