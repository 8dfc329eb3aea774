import { normaliseIp, Pseudonymizer, redactFreeText, truncateIp } from '../src';

describe('pseudonyms', () => {
  it('When the same id is pseudonymised twice, then the pseudonym is the same; with another key it differs', () => {
    const a = new Pseudonymizer('a'.repeat(32));
    const b = new Pseudonymizer('b'.repeat(32));
    expect(a.pseudonym('user', 'u-1')).toBe(a.pseudonym('user', 'u-1'));
    expect(a.pseudonym('user', 'u-1')).toMatch(/^[0-9a-f]{32}$/);
    expect(a.pseudonym('user', 'u-1')).not.toBe(b.pseudonym('user', 'u-1'));
  });

  it('When a user id equals an API key id, then their pseudonyms still differ', () => {
    const p = new Pseudonymizer('k'.repeat(32));
    expect(p.pseudonym('user', 'same')).not.toBe(p.pseudonym('api_key', 'same'));
  });

  it('When emails differ only in case or spaces, then they get one pseudonym', () => {
    const p = new Pseudonymizer('k'.repeat(32));
    expect(p.email(' Guest@Casebook.dev ')).toBe(p.email('guest@casebook.dev'));
  });

  it('When the key is short, then the pseudonymizer refuses it', () => {
    expect(() => new Pseudonymizer('short')).toThrow(/32/);
  });
});

describe('IP addresses', () => {
  it('When an IPv4 address is truncated, then only its /24 network remains', () => {
    expect(truncateIp('203.0.113.57')).toBe('203.0.113.0/24');
    expect(truncateIp('::ffff:203.0.113.57')).toBe('203.0.113.0/24');
  });

  it('When an IPv6 address is truncated, then only its /48 network remains', () => {
    expect(truncateIp('2001:db8:42:1::7')).toBe('2001:0db8:0042::/48');
    expect(normaliseIp('::1')).toBe('0000:0000:0000:0000:0000:0000:0000:0001');
  });

  it('When the address is not an address, then nothing is kept', () => {
    expect(truncateIp('not-an-ip')).toBeNull();
  });
});

describe('free text', () => {
  it('When text holds emails, addresses, credentials and numbers, then each is replaced by a placeholder', () => {
    const jwt = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1LTEifQ.c2lnbmF0dXJlLWJ5dGVz';
    const text =
      `login for Jane.Doe@example.com from 203.0.113.57 and 2001:db8::7 with Bearer abc.def ` +
      `token=s3cr3t-value key rk_live_9f8e7d6c5b4a3928171615 jwt ${jwt} card 4111 1111 1111 1111`;
    const out = redactFreeText(text);
    for (const secret of [
      'Jane.Doe@example.com',
      '203.0.113.57',
      '2001:db8::7',
      'abc.def',
      's3cr3t-value',
      'rk_live_9f8e7d6c5b4a3928171615',
      jwt,
      '4111',
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('[email]');
    expect(out).toContain('[ip]');
    expect(out).toContain('Bearer [token]');
    expect(out).toContain('[number]');
  });

  it('When text holds ordinary words and UUIDs, then it is left alone', () => {
    const text = 'role change for conversation 0190d1b2-7c3e-7a1b-8c9d-0123456789ab: internationalisation';
    expect(redactFreeText(text)).toBe(text);
  });

  it('When text is long, then it is cut to 500 characters', () => {
    expect(redactFreeText('word '.repeat(300))).toHaveLength(500);
  });
});
