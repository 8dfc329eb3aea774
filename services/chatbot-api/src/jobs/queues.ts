import type { Lane } from '../messages/message-types';

export const ANSWER_QUEUES: Record<Lane, string> = { short: 'answers-short', long: 'answers-long' };
export const ERASURE_QUEUE = 'erasure';
export const MAINTENANCE_QUEUE = 'maintenance';

export interface AnswerJob {
  replyId: string;
  ownerId: string;
  /** W3C trace context of the request that queued the job, so its spans join the same trace. */
  trace?: Record<string, string>;
}

export interface ErasureJob {
  requestId: string;
  subjectId: string;
  trace?: Record<string, string>;
}

/** BullMQ rejects ioredis' keyPrefix; the same per-process prefix goes into BullMQ's own `prefix`. */
export function bullPrefix(redisKeyPrefix: string): string {
  return `${redisKeyPrefix}bull`;
}
