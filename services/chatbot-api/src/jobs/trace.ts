import { context, propagation, trace } from '@opentelemetry/api';

/** The current trace context as a carrier to put in job data. */
export function currentTrace(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** Runs `fn` in a span that continues the trace the job was queued from. */
export function withJobSpan<T>(
  name: string,
  carrier: Record<string, string> | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  const parent = propagation.extract(context.active(), carrier ?? {});
  const tracer = trace.getTracer('casebook-chatbot-worker');
  return context.with(parent, () =>
    tracer.startActiveSpan(name, async (span) => {
      try {
        return await fn();
      } finally {
        span.end();
      }
    }),
  );
}
