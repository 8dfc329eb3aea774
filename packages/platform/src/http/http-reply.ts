import type { FastifyReply } from 'fastify';

/**
 * What a service returns when the answer is more than a body: the status and headers that go with it
 * (202 and `Retry-After`, 201 and `Location`). The service decides them; the controller only sends them.
 */
export interface HttpReply<T> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

/** Writes an `HttpReply`'s status and headers to the response and returns its body for Nest to send. */
export function sendReply<T>(reply: FastifyReply, result: HttpReply<T>): T {
  void reply.status(result.status).headers(result.headers);
  return result.body;
}
