import { HdrRecorder } from './hdr-recorder';

describe('HdrRecorder', () => {
  it('When 1..100 ms are recorded, then p50/p95/p99/max are those values', () => {
    const recorder = new HdrRecorder();
    for (let ms = 1; ms <= 100; ms++) recorder.recordMs(ms);

    const summary = recorder.summary();

    expect(summary.count).toBe(100);
    // Three significant digits: values are exact to within 0.1%.
    expect(summary.p50).toBeCloseTo(50, 1);
    expect(summary.p95).toBeCloseTo(95, 1);
    expect(summary.p99).toBeCloseTo(99, 1);
    expect(summary.max).toBeCloseTo(100, 1);
    expect(summary.min).toBeCloseTo(1, 2);
    expect(summary.mean).toBeCloseTo(50.5, 1);
  });

  it('When latencies are below a millisecond, then they keep microsecond resolution', () => {
    const recorder = new HdrRecorder();
    recorder.recordMs(0.25);
    recorder.recordMs(0.75);

    expect(recorder.percentileMs(50)).toBeCloseTo(0.25, 3);
    expect(recorder.percentileMs(100)).toBeCloseTo(0.75, 3);
  });

  it('When nothing was recorded, then percentiles are NaN rather than 0', () => {
    const summary = new HdrRecorder().summary();

    expect(summary.count).toBe(0);
    expect(summary.p95).toBeNaN();
    expect(summary.max).toBeNaN();
  });

  it('When two recorders are added, then the percentiles come from the merged distribution', () => {
    const fast = new HdrRecorder();
    const slow = new HdrRecorder();
    for (let i = 0; i < 90; i++) fast.recordMs(1);
    for (let i = 0; i < 10; i++) slow.recordMs(500);

    fast.add(slow);

    expect(fast.count).toBe(100);
    expect(fast.percentileMs(90)).toBeCloseTo(1, 1);
    expect(fast.percentileMs(95)).toBeCloseTo(500, -1);
  });

  it('When a latency is negative or not a number, then it is refused', () => {
    const recorder = new HdrRecorder();

    expect(() => recorder.recordMs(-1)).toThrow(RangeError);
    expect(() => recorder.recordMs(Number.NaN)).toThrow(RangeError);
    expect(recorder.count).toBe(0);
  });
});
