import type { LoadMode } from './load-result';
import { type LoadReport, rateWarnings } from './report';
import { runJourneyLoad } from './run-journey';
import { runLoad } from './run-load';
import type { AnyScenario, ScenarioRequest, Thresholds } from './scenario';
import { runSetup } from './setup';
import { allPassed, evaluateThresholds } from './thresholds';

export interface ScenarioRunOptions {
  scenario: AnyScenario;
  mode: LoadMode;
  /** Iterations per second (rate mode); default `scenario.arrival.rate`. */
  rate?: number;
  durationS?: number;
  connections?: number;
  baseUrl?: string;
  /** Overrides single thresholds of the scenario. */
  thresholds?: Thresholds;
  /** Recorded in the report. */
  command: string;
}

// Rate mode: few connections, each sending its share in sequence (see runLoad). Saturation: enough concurrency
// to keep a single Node process busy without measuring mostly queueing.
export const DEFAULT_RATE_CONNECTIONS = 10;
export const DEFAULT_SATURATION_CONNECTIONS = 100;
export const DEFAULT_JOURNEYS_IN_FLIGHT = 1_000;

/**
 * Setup, load and threshold check for one scenario. In saturation mode only the error-rate threshold applies:
 * latency targets are stated at an arrival rate, while at saturation latency is set by the connection count.
 */
export async function runScenario(options: ScenarioRunOptions): Promise<LoadReport> {
  const { scenario, mode } = options;
  const baseUrl = options.baseUrl ?? scenario.baseUrl;
  const context: object = await runSetup(scenario, baseUrl);
  const result = scenario.journey
    ? await runJourney(options, baseUrl, context)
    : await runRequests(options, baseUrl, context);
  const merged: Thresholds = { ...scenario.thresholds, ...options.thresholds };
  const applied: Thresholds = mode === 'rate' ? merged : { errorRate: merged.errorRate };
  const thresholds = evaluateThresholds(result, applied);
  return {
    scenario: { name: scenario.name, description: scenario.description, service: scenario.service },
    command: options.command,
    result,
    thresholds,
    passed: allPassed(thresholds),
    warnings: rateWarnings(result),
  };
}

function runJourney({ scenario, mode, ...options }: ScenarioRunOptions, baseUrl: string, context: object) {
  if (mode !== 'rate') throw new Error('a journey scenario runs in rate mode only (open-model arrivals)');
  return runJourneyLoad({
    baseUrl,
    context,
    steps: scenario.journey!,
    rate: options.rate ?? scenario.arrival.rate,
    durationS: options.durationS ?? scenario.arrival.duration,
    // In flight, not connections: fetch keeps a pool per origin; this only caps a runaway backlog.
    maxInFlight: options.connections ?? DEFAULT_JOURNEYS_IN_FLIGHT,
  });
}

function runRequests({ scenario, mode, ...options }: ScenarioRunOptions, baseUrl: string, context: object) {
  const source = scenario.requests;
  if (!source) throw new Error(`${scenario.name}: a scenario needs requests or a journey`);
  const requests: ScenarioRequest[] | ((iteration: number) => ScenarioRequest[]) = Array.isArray(source)
    ? source
    : (iteration) => source(context, iteration);
  const perIteration = Array.isArray(requests) ? requests.length : requests(0).length;
  const iterationsPerSecond = options.rate ?? scenario.arrival.rate;
  return runLoad({
    baseUrl,
    requests,
    mode,
    rate: iterationsPerSecond * perIteration,
    connections: options.connections ?? (mode === 'rate' ? DEFAULT_RATE_CONNECTIONS : DEFAULT_SATURATION_CONNECTIONS),
    durationS: options.durationS ?? scenario.arrival.duration,
    ...(scenario.expectedStatus ? { expectedStatus: scenario.expectedStatus } : {}),
  });
}
