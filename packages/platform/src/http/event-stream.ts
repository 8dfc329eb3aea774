import type { FastifyReply } from 'fastify';

/** Server-sent-event text to write, produced until it ends or `signal` says the client went away. */
export type EventFeed = (signal: AbortSignal) => AsyncIterable<string>;

/**
 * Sends `feed` as `text/event-stream`: the response is taken over from Fastify (headers already set on
 * the reply, e.g. the request id, are kept), nothing is buffered by proxies, and the response ends when
 * the feed does or the client disconnects.
 */
export async function writeEventStream(reply: FastifyReply, feed: EventFeed): Promise<void> {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string>),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  const aborted = new AbortController();
  raw.on('close', () => aborted.abort());
  try {
    for await (const text of feed(aborted.signal)) {
      if (aborted.signal.aborted) break;
      raw.write(text);
    }
  } finally {
    raw.end();
  }
}
