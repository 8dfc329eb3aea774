import net from 'node:net';
import { isLoopback } from '../loopback';

/**
 * Tests talk to this machine only: Postgres, Redis and the fake vendor servers they start. Any other
 * connection is a bug (a real vendor called from a test) and fails loudly.
 */

type ConnectArgs = Parameters<net.Socket['connect']>;

const originalConnect = net.Socket.prototype.connect;

function targetOf(args: unknown[]): { host?: string; path?: string } {
  const [first, second] = args;
  // net.connect() hands Socket#connect its already normalised [options, callback] array.
  if (Array.isArray(first)) return targetOf(first);
  if (typeof first === 'object' && first !== null) {
    const options = first as { host?: string; path?: string };
    return { host: options.path ? undefined : (options.host ?? 'localhost'), path: options.path };
  }
  if (typeof first === 'string' && Number.isNaN(Number(first))) return { path: first };
  return { host: typeof second === 'string' ? second : 'localhost' };
}

net.Socket.prototype.connect = function connect(this: net.Socket, ...args: unknown[]) {
  const { host } = targetOf(args);
  if (host !== undefined && !isLoopback(host)) {
    throw new Error(`Outbound network is blocked in tests: connection to ${host} refused (loopback only)`);
  }
  return originalConnect.apply(this, args as ConnectArgs);
} as typeof net.Socket.prototype.connect;
