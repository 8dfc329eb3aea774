// The harness passes PORT and HOST to every server it starts, baselines and services alike. The baselines are
// fixtures without a config module, so they read these two variables here and nothing else.
export interface ListenAddress {
  port: number;
  host: string;
}

export function listenAddress(env: NodeJS.ProcessEnv = process.env): ListenAddress {
  const port = Number(env.PORT ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`PORT must be a port number, got ${env.PORT}`);
  return { port, host: env.HOST ?? '127.0.0.1' };
}

/** The body every baseline answers, so the three differ only in the framework. */
export const HELLO = { hello: 'world' };
