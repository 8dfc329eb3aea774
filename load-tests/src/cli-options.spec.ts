import { parseCliOptions, UsageError } from './cli-options';

describe('parseCliOptions', () => {
  it('When all flags are given, then they are parsed into numbers and thresholds', () => {
    const options = parseCliOptions([
      '--scenario',
      'health-chatbot-api',
      '--mode',
      'saturation',
      '--rate',
      '50',
      '--duration',
      '3',
      '--connections',
      '20',
      '--base-url',
      'http://127.0.0.1:4000',
      '--out',
      '/tmp/out',
      '--p95-ms',
      '10',
      '--error-rate',
      '0.01',
    ]);

    expect(options).toMatchObject({
      scenario: 'health-chatbot-api',
      mode: 'saturation',
      rate: 50,
      durationS: 3,
      connections: 20,
      baseUrl: 'http://127.0.0.1:4000',
      outDir: '/tmp/out',
      thresholds: { p95Ms: 10, errorRate: 0.01 },
    });
  });

  it('When several flags are wrong, then one error lists all of them', () => {
    let caught: unknown;
    try {
      parseCliOptions(['--mode', 'fast', '--rate', '0', '--base-url', 'nope']);
    } catch (error: unknown) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(UsageError);
    const message = (caught as Error).message;
    expect(message).toContain('--mode must be rate or saturation');
    expect(message).toContain('--scenario is required');
    expect(message).toContain('--base-url is not a URL');
    expect(message).toContain('--rate must be a number >= 1');
  });

  it('When an unknown flag is given, then it is a usage error', () => {
    expect(() => parseCliOptions(['--scenario', 'x', '--bogus'])).toThrow(UsageError);
  });
});
