import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

/** What is known about the current request, carried through every await without being passed around. */
export interface RequestContext {
  requestId: string;
  /** Set by authentication once the caller is known; read by logs and audit. */
  principalId?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

// Accepted from clients as is: short, printable, no spaces. Anything else is replaced, so a caller
// cannot inject log lines or huge values through the header.
const WELL_FORMED = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function isWellFormedRequestId(value: unknown): value is string {
  return typeof value === 'string' && WELL_FORMED.test(value);
}

/** Fastify `genReqId`: the caller's `X-Request-Id` when well-formed, otherwise a new UUID. */
export function requestIdFrom(req: IncomingMessage): string {
  const header = req.headers[REQUEST_ID_HEADER];
  const candidate = Array.isArray(header) ? header[0] : header;
  return isWellFormedRequestId(candidate) ? candidate : randomUUID();
}

export const RequestContextStore = {
  run<T>(context: RequestContext, fn: () => T): T {
    return storage.run(context, fn);
  },
  /**
   * Makes `context` current for the rest of this execution and what it schedules. Used from Fastify
   * hooks, which cannot wrap the handler in `run()`; each request enters its own context again
   * before its handler, so nothing carries over between requests.
   */
  enter(context: RequestContext): void {
    storage.enterWith(context);
  },
  current(): RequestContext | undefined {
    return storage.getStore();
  },
  requestId(): string | undefined {
    return storage.getStore()?.requestId;
  },
};
