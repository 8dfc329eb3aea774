import { canonicalJson } from '../src';

describe('canonical JSON (RFC 8785)', () => {
  it('When members are in any order, then they are serialised sorted, without whitespace', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: { z: 0, y: -0 } })).toBe(
      '{"a":[true,null,"x"],"b":1,"c":{"y":0,"z":0}}',
    );
  });

  it('When keys need UTF-16 ordering and strings need escaping, then the RFC 8785 test vector comes out', () => {
    // RFC 8785 §3.2.3 sorting example (keys only) and §3.2.2.2 string escaping.
    const value = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    expect(canonicalJson(value)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
    expect(canonicalJson('\u0007"\\\n')).toBe('"\\u0007\\"\\\\\\n"');
  });

  it('When numbers have several spellings, then ECMAScript shortest form is used', () => {
    expect(canonicalJson([1.0, 1e21, 1e-7, 0.1, Number('333333333.33333329')])).toBe(
      '[1,1e+21,1e-7,0.1,333333333.3333333]',
    );
  });

  it('When a value has no exact JSON form, then it is refused instead of being changed', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/finite/);
    expect(() => canonicalJson([undefined])).toThrow(/JSON cannot hold/);
    expect(() => canonicalJson({ d: new Date(0) })).toThrow(/plain object/);
  });

  it('When a member is undefined, then it is left out, as JSON.stringify does', () => {
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
  });
});
