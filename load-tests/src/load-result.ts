import type { LatencySummary } from './hdr-recorder';

export type LoadMode = 'rate' | 'saturation';

export interface LoadResult {
  mode: LoadMode;
  baseUrl: string;
  connections: number;
  /** Requests per second asked for in rate mode; null in saturation mode. */
  targetRate: number | null;
  startedAt: string;
  /** Seconds the generator actually ran. */
  durationS: number;
  requests: {
    /** Responses received, whatever their status. */
    completed: number;
    /** `completed / durationS`. */
    perSecond: number;
  };
  /** From every response, including unexpected statuses. */
  latencyMs: LatencySummary;
  errors: {
    /** Connection errors and timeouts: requests that got no response. */
    transport: number;
    timeouts: number;
    /** Responses outside the expected status range. */
    unexpectedStatus: number;
    /** `(transport + unexpectedStatus) / (completed + transport)`; NaN when nothing was attempted. */
    rate: number;
  };
  statusCodes: Record<string, number>;
}
