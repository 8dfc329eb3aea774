import { Counter } from 'prom-client';

/** The part of a pino logger best-effort work reports to. */
export interface BestEffortLogger {
  debug(object: object, message: string): void;
}

/**
 * One counter for the whole process, registered on every `Metrics` registry, so each service's /metrics
 * shows how often work it chose not to wait for failed (`best_effort_failures_total{operation}`).
 */
export const bestEffortFailures = new Counter({
  name: 'best_effort_failures_total',
  help: 'Work whose failure is tolerated (cleanup, cache fills, notifications) that failed, by operation.',
  labelNames: ['operation'],
  registers: [],
});

let sink: BestEffortLogger | undefined;

/** Where failures are logged at debug; set once by PlatformModule with the service's logger. */
export function reportBestEffortTo(logger: BestEffortLogger | undefined): void {
  sink = logger;
}

// Connection strings in driver messages may carry credentials (`redis://user:pass@host`).
const USERINFO = /\/\/[^/@\s]+@/g;

function describe(error: unknown): { name: string; code?: string; message: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      ...(typeof code === 'string' ? { code } : {}),
      message: error.message.replace(USERINFO, '//[redacted]@'),
    };
  }
  return { name: typeof error, message: '[non-error rejection]' };
}

/**
 * Work whose failure must not fail the caller (a cleanup, a cache fill, a notification): never rejects,
 * resolves to `fallback` (undefined by default) when the work fails, and counts and logs the failure
 * instead of swallowing it. `operation` is a fixed, low-cardinality name (`cache.fill`), never an id.
 */
export function bestEffort<T>(work: Promise<T> | (() => Promise<T>), operation: string): Promise<T | undefined>;
export function bestEffort<T, F>(work: Promise<T> | (() => Promise<T>), operation: string, fallback: F): Promise<T | F>;
export function bestEffort<T, F>(
  work: Promise<T> | (() => Promise<T>),
  operation: string,
  fallback?: F,
): Promise<T | F | undefined> {
  let promise: Promise<T>;
  try {
    promise = typeof work === 'function' ? work() : work;
  } catch (error) {
    promise = Promise.reject(error);
  }
  return promise.catch((error: unknown) => {
    bestEffortFailures.inc({ operation });
    sink?.debug({ operation, error: describe(error) }, 'best-effort work failed');
    return fallback;
  });
}
