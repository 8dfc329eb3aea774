import * as hdr from 'hdr-histogram-js';

export interface LatencySummary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

// Microsecond resolution, up to 10 minutes before the histogram has to resize.
const MICROS_PER_MS = 1_000;
const HIGHEST_TRACKABLE_MICROS = 600_000_000;

/**
 * Every response latency in one HDR histogram. autocannon's own histogram reports p97.5 but not p95, and
 * percentiles averaged across runs are meaningless, so the raw distribution is kept here.
 */
export class HdrRecorder {
  private readonly histogram = hdr.build({
    bitBucketSize: 64,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_TRACKABLE_MICROS,
    numberOfSignificantValueDigits: 3,
  });

  recordMs(latencyMs: number): void {
    if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new RangeError(`latency must be >= 0 ms, got ${latencyMs}`);
    this.histogram.recordValue(Math.round(latencyMs * MICROS_PER_MS));
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  /** Value in ms at `percentile` (0–100); NaN when nothing was recorded. */
  percentileMs(percentile: number): number {
    if (this.count === 0) return Number.NaN;
    return this.histogram.getValueAtPercentile(percentile) / MICROS_PER_MS;
  }

  /** Adds another recorder's values, e.g. to merge the runs of one contender. */
  add(other: HdrRecorder): void {
    this.histogram.add(other.histogram);
  }

  summary(): LatencySummary {
    const empty = this.count === 0;
    return {
      count: this.count,
      min: empty ? Number.NaN : this.histogram.minNonZeroValue / MICROS_PER_MS,
      mean: empty ? Number.NaN : this.histogram.mean / MICROS_PER_MS,
      p50: this.percentileMs(50),
      p90: this.percentileMs(90),
      p95: this.percentileMs(95),
      p99: this.percentileMs(99),
      p999: this.percentileMs(99.9),
      max: empty ? Number.NaN : this.histogram.maxValue / MICROS_PER_MS,
    };
  }
}
