import { sign, verify } from 'node:crypto';
import { canonicalJson } from '../chain/canonical';
import type { AuditPublicKey, AuditSigningKey } from './signing-key';

/** A signed statement "the chain up to `seq` hashes to `headHash`", checkable without the database. */
export interface Checkpoint {
  seq: number;
  /** Hex SHA-256 of the event at `seq` (the chain head when signed). */
  headHash: string;
  /** Events in the chain up to and including `seq`. */
  count: number;
  signedAt: string;
  keyId: string;
  /** Base64 Ed25519 signature over {@link checkpointPayload}. */
  signature: string;
}

export const CHECKPOINT_TYPE = 'casebook.audit.checkpoint';

/** The bytes that are signed: canonical JSON of everything but the signature, with a type tag. */
export function checkpointPayload(checkpoint: Omit<Checkpoint, 'signature'>): Buffer {
  return Buffer.from(
    canonicalJson({
      type: CHECKPOINT_TYPE,
      v: 1,
      seq: checkpoint.seq,
      headHash: checkpoint.headHash,
      count: checkpoint.count,
      signedAt: checkpoint.signedAt,
      keyId: checkpoint.keyId,
    }),
    'utf8',
  );
}

export function signCheckpoint(
  key: AuditSigningKey,
  head: { seq: number; hash: Buffer; count?: number },
  signedAt: Date = new Date(),
): Checkpoint {
  const unsigned = {
    seq: head.seq,
    headHash: head.hash.toString('hex'),
    count: head.count ?? head.seq,
    signedAt: signedAt.toISOString(),
    keyId: key.keyId,
  };
  return { ...unsigned, signature: sign(null, checkpointPayload(unsigned), key.privateKey).toString('base64') };
}

export type CheckpointCheck = { ok: true } | { ok: false; reason: string };

/** Q6.2: a checkpoint counts only if a trusted key signed exactly these fields. */
export function verifyCheckpoint(
  checkpoint: Checkpoint,
  trustedKeys: ReadonlyMap<string, AuditPublicKey>,
): CheckpointCheck {
  const key = trustedKeys.get(checkpoint.keyId);
  if (!key) return { ok: false, reason: `signed by key ${checkpoint.keyId}, which is not a trusted key` };
  const { signature, ...unsigned } = checkpoint;
  const valid = verify(null, checkpointPayload(unsigned), key.publicKey, Buffer.from(signature, 'base64'));
  if (!valid)
    return { ok: false, reason: `signature does not verify with key ${checkpoint.keyId} (forged or altered)` };
  if (checkpoint.count !== checkpoint.seq) {
    return { ok: false, reason: `count ${checkpoint.count} differs from seq ${checkpoint.seq}` };
  }
  return { ok: true };
}

export function keyMap(keys: readonly AuditPublicKey[]): Map<string, AuditPublicKey> {
  return new Map(keys.map((key) => [key.keyId, key]));
}
