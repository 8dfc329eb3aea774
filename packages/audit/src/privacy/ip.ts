import { isIP } from 'node:net';

export interface SourceAddress {
  /** The network, not the host: IPv4 /24, IPv6 /48. Enough to see "same ISP / same office", no more. */
  ipPrefix: string | null;
  /** Keyed pseudonym of the full address, to correlate requests from one host without storing it. */
  ipPseudonym: string | null;
}

/** `::ffff:203.0.113.9` is an IPv4 address written as IPv6; treat it as the IPv4 address. */
export function normaliseIp(ip: string): string | null {
  const trimmed = ip.trim();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(trimmed);
  const candidate = mapped ? mapped[1]! : trimmed;
  const version = isIP(candidate);
  if (version === 4) return candidate;
  if (version === 6) return expandIpv6(candidate).join(':');
  return null;
}

function expandIpv6(ip: string): string[] {
  const [head = '', tail] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail !== undefined && tail !== '' ? tail.split(':') : [];
  // An embedded IPv4 tail (::ffff:1.2.3.4 in other forms) is two groups.
  const groups = (parts: string[]) =>
    parts.flatMap((part) => {
      if (!part.includes('.')) return [part];
      const [a, b, c, d] = part.split('.').map(Number) as [number, number, number, number];
      return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
    });
  const l = groups(left);
  const r = groups(right);
  const zeros = tail === undefined ? [] : Array<string>(8 - l.length - r.length).fill('0');
  return [...l, ...zeros, ...r].map((group) => group.padStart(4, '0'));
}

/** The network part of an address: `203.0.113.0/24` or `2001:0db8:0042::/48`. */
export function truncateIp(ip: string): string | null {
  const normal = normaliseIp(ip);
  if (!normal) return null;
  if (isIP(normal) === 4) {
    const [a, b, c] = normal.split('.');
    return `${a}.${b}.${c}.0/24`;
  }
  return `${normal.split(':').slice(0, 3).join(':')}::/48`;
}
