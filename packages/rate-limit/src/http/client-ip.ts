import { BlockList, isIP, isIPv4 } from 'node:net';

/** `::ffff:1.2.3.4` → `1.2.3.4`; strips brackets, ports and zones; undefined when it is not an address. */
export function normalizeIp(text: string): string | undefined {
  let address = text.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(':'));
  const zone = address.indexOf('%');
  if (zone >= 0) address = address.slice(0, zone);
  if (/^::ffff:/i.test(address) && isIPv4(address.slice(7))) address = address.slice(7);
  return isIP(address) ? address.toLowerCase() : undefined;
}

function ipv6Groups(address: string): number[] {
  let text = address;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const [a, b, c, d] = tail.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  let groups = headGroups;
  if (rest !== undefined) {
    const restGroups = rest ? rest.split(':') : [];
    groups = [...headGroups, ...Array<string>(8 - headGroups.length - restGroups.length).fill('0'), ...restGroups];
  }
  return groups.map((group) => parseInt(group, 16));
}

/** The network an IPv6 address belongs to, e.g. `2001:db8:1:2:0:0:0:0/64`. */
export function ipv6Prefix(address: string, bits: number): string {
  const groups = ipv6Groups(address).map((group, i) => {
    const keep = Math.max(0, Math.min(16, bits - i * 16));
    return keep === 0 ? 0 : group & (0xffff << (16 - keep)) & 0xffff;
  });
  return `${groups.map((group) => group.toString(16)).join(':')}/${bits}`;
}

export interface ClientIpOptions {
  /** Addresses or CIDRs of the proxies in front of the service (e.g. `10.0.0.0/8`, `127.0.0.1`). */
  trustedProxies: readonly string[];
  /** IPv6 clients are identified by their network of this length (one host usually holds a /64). */
  ipv6PrefixBits: number;
}

/**
 * The client's address: the socket's peer, or — only when that peer is a trusted proxy — the first address in
 * `X-Forwarded-For` counted from the right that is not itself a trusted proxy. Anything left of it was written by
 * the client and can be forged, so it is never believed.
 */
export class ClientIpResolver {
  private readonly trusted = new BlockList();
  private readonly anyTrusted: boolean;

  constructor(private readonly options: ClientIpOptions) {
    for (const entry of options.trustedProxies) {
      const [rawAddress = '', bits] = entry.split('/');
      const address = normalizeIp(rawAddress);
      const type = address && isIPv4(address) ? 'ipv4' : 'ipv6';
      const prefix = bits === undefined ? undefined : Number(bits);
      if (
        !address ||
        (prefix !== undefined && !(Number.isInteger(prefix) && prefix >= 0 && prefix <= (type === 'ipv4' ? 32 : 128)))
      ) {
        throw new Error(`Not an address or CIDR in trustedProxies: '${entry}'`);
      }
      if (prefix === undefined) this.trusted.addAddress(address, type);
      else this.trusted.addSubnet(address, prefix, type);
    }
    this.anyTrusted = options.trustedProxies.length > 0;
  }

  resolve(remoteAddress: string | undefined, forwardedFor: string | string[] | undefined): string | undefined {
    let client = remoteAddress === undefined ? undefined : normalizeIp(remoteAddress);
    if (client && forwardedFor && this.isTrusted(client)) {
      const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',');
      for (let i = hops.length - 1; i >= 0; i -= 1) {
        const hop = normalizeIp(hops[i]!);
        // A malformed entry: the last proxy we trust is the best we know.
        if (!hop) break;
        client = hop;
        if (!this.isTrusted(hop)) break;
      }
    }
    if (!client) return undefined;
    return isIPv4(client) ? client : ipv6Prefix(client, this.options.ipv6PrefixBits);
  }

  private isTrusted(address: string): boolean {
    return this.anyTrusted && this.trusted.check(address, isIPv4(address) ? 'ipv4' : 'ipv6');
  }
}
