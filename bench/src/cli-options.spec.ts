import { parseBenchCli, UsageError } from './cli-options';

describe('parseBenchCli', () => {
  it('When only the comparison is named, then the documented defaults apply', () => {
    const options = parseBenchCli(['baseline']);

    expect(options.comparison).toBe('baseline');
    expect(options.bench).toEqual({
      durationS: 5,
      runs: 3,
      warmupS: 2,
      connections: 100,
      mode: 'saturation',
      pin: true,
    });
    expect(options.only).toEqual([]);
  });

  it('When flags are given, then they override the defaults', () => {
    const options = parseBenchCli(['baseline', '--duration', '2', '--runs', '5', '--no-pin', '--only', 'B0, B2']);

    expect(options.bench).toMatchObject({ durationS: 2, runs: 5, pin: false });
    expect(options.only).toEqual(['B0', 'B2']);
  });

  it('When rate mode lacks a rate or values are bad, then one error lists every problem', () => {
    expect(() => parseBenchCli(['baseline', '--mode', 'rate', '--runs', '0'])).toThrow(
      /--runs must be a number >= 1[^]*--mode rate needs --rate/,
    );
    expect(() => parseBenchCli(['a', 'b'])).toThrow(UsageError);
  });
});
