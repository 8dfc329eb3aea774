import { ClientIpResolver, ipv6Prefix, normalizeIp } from './client-ip';

const resolver = (trustedProxies: string[]) => new ClientIpResolver({ trustedProxies, ipv6PrefixBits: 64 });

describe('ClientIpResolver (Q5.4: the IP level)', () => {
  it('When no proxy is trusted, then X-Forwarded-For is ignored and the socket peer is the client', () => {
    expect(resolver([]).resolve('198.51.100.7', '203.0.113.9')).toBe('198.51.100.7');
  });

  it('When the peer is a trusted proxy, then the rightmost untrusted X-Forwarded-For entry is the client', () => {
    const ips = resolver(['10.0.0.0/8', '127.0.0.1']);
    // The client wrote "1.1.1.1" itself; only what our proxies appended is believed.
    expect(ips.resolve('127.0.0.1', '1.1.1.1, 203.0.113.9, 10.1.2.3')).toBe('203.0.113.9');
    expect(ips.resolve('::ffff:10.0.0.5', ['1.1.1.1', '203.0.113.10'])).toBe('203.0.113.10');
  });

  it('When the peer is not trusted, then its X-Forwarded-For is not believed', () => {
    expect(resolver(['10.0.0.0/8']).resolve('198.51.100.7', '203.0.113.9')).toBe('198.51.100.7');
  });

  it('When every hop is a trusted proxy or an entry is malformed, then the last trusted address is used', () => {
    const ips = resolver(['10.0.0.0/8']);
    expect(ips.resolve('10.0.0.1', '10.0.0.2')).toBe('10.0.0.2');
    expect(ips.resolve('10.0.0.1', 'not-an-ip, 10.0.0.3')).toBe('10.0.0.3');
  });

  it('When the client speaks IPv6, then it is limited per /64 network', () => {
    expect(resolver([]).resolve('2001:db8:1:2:aaaa::1', undefined)).toBe('2001:db8:1:2:0:0:0:0/64');
    expect(resolver([]).resolve('2001:db8:1:2:bbbb::9', undefined)).toBe('2001:db8:1:2:0:0:0:0/64');
    expect(ipv6Prefix('::1', 128)).toBe('0:0:0:0:0:0:0:1/128');
    expect(ipv6Prefix('64:ff9b::192.0.2.1', 96)).toBe('64:ff9b:0:0:0:0:0:0/96');
  });

  it('When addresses carry ports, brackets or the IPv4-mapped form, then they are normalised', () => {
    expect(normalizeIp('203.0.113.9:4711')).toBe('203.0.113.9');
    expect(normalizeIp('[2001:db8::1]:443')).toBe('2001:db8::1');
    expect(normalizeIp('::FFFF:192.0.2.1')).toBe('192.0.2.1');
    expect(normalizeIp('evil')).toBeUndefined();
  });

  it('When a trusted proxy entry is not an address, then construction fails', () => {
    expect(() => resolver(['10.0.0.0/33'])).toThrow(/trustedProxies/);
    expect(() => resolver(['proxy.internal'])).toThrow(/trustedProxies/);
  });
});
