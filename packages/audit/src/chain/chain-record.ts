import { createHash } from 'node:crypto';
import type { AuditEvent } from '../events/event.schema';
import { canonicalJson } from './canonical';

/** The chain starts from 32 zero bytes: the first event's `prev_hash`. */
export const GENESIS_HASH = Buffer.alloc(32);

/** An event with its place in the chain. `seq` and `recordedAt` are hashed too, so neither can move. */
export interface ChainedEvent extends AuditEvent {
  seq: number;
  /** When the writer appended it (the partition key); never earlier than the previous event's. */
  recordedAt: string;
  prevHash: Buffer;
  hash: Buffer;
}

/** What the hash covers: the event as stored plus its position (everything but the two hashes). */
export function chainPayload(event: AuditEvent, seq: number, recordedAt: string): string {
  return canonicalJson({ ...event, seq, recordedAt });
}

/** Q6.2: `hash = sha256(prev_hash ‖ canonical(event))`. */
export function chainHash(prevHash: Buffer, payload: string): Buffer {
  return createHash('sha256').update(prevHash).update(payload, 'utf8').digest();
}

export function chainEvent(event: AuditEvent, seq: number, recordedAt: string, prevHash: Buffer): ChainedEvent {
  return { ...event, seq, recordedAt, prevHash, hash: chainHash(prevHash, chainPayload(event, seq, recordedAt)) };
}
