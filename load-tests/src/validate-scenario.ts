import type { AnyScenario } from './scenario';

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function positive(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

function checkRequest(value: unknown, where: string, problems: string[]): void {
  if (!isRecord(value)) {
    problems.push(`${where} must be an object`);
    return;
  }
  if (typeof value.method !== 'string' || !METHODS.has(value.method))
    problems.push(`${where}.method is not an HTTP method`);
  if (typeof value.path !== 'string' || !value.path.startsWith('/')) problems.push(`${where}.path must start with /`);
}

/**
 * Scenario files are plain JavaScript, so their shape is checked when loaded; the error lists every problem at
 * once instead of failing on the first.
 */
export function validateScenario(value: unknown, source: string): AnyScenario {
  const problems: string[] = [];
  if (!isRecord(value)) throw new Error(`${source}: the default export must be a scenario object`);
  for (const key of ['name', 'description', 'service', 'baseUrl'] as const) {
    if (typeof value[key] !== 'string' || value[key] === '') problems.push(`${key} must be a non-empty string`);
  }
  if (typeof value.baseUrl === 'string' && !URL.canParse(value.baseUrl)) problems.push('baseUrl must be a URL');
  if (value.journey !== undefined) {
    if (value.requests !== undefined) problems.push('a scenario has requests or a journey, not both');
    if (!Array.isArray(value.journey) || value.journey.length === 0) problems.push('journey must be a non-empty array');
    else
      value.journey.forEach((step, index) => {
        if (!isRecord(step) || typeof step.request !== 'function')
          problems.push(`journey[${index}].request must be a function`);
      });
  } else if (Array.isArray(value.requests)) {
    if (value.requests.length === 0) problems.push('requests must not be empty');
    value.requests.forEach((request, index) => checkRequest(request, `requests[${index}]`, problems));
  } else if (typeof value.requests !== 'function') {
    problems.push('requests must be an array or a function');
  }
  if (value.setup !== undefined && !Array.isArray(value.setup)) problems.push('setup must be an array of steps');
  const arrival = value.arrival;
  if (!isRecord(arrival) || !positive(arrival.rate) || !positive(arrival.duration)) {
    problems.push('arrival must be { rate > 0, duration > 0 }');
  }
  const thresholds = value.thresholds;
  if (!isRecord(thresholds)) {
    problems.push('thresholds must be an object');
  } else {
    for (const key of ['p95Ms', 'p99Ms', 'errorRate'] as const) {
      const limit = thresholds[key];
      if (limit !== undefined && (typeof limit !== 'number' || !(limit >= 0)))
        problems.push(`thresholds.${key} must be >= 0`);
    }
  }
  if (problems.length > 0) throw new Error(`${source}: invalid scenario:\n  - ${problems.join('\n  - ')}`);
  return value as unknown as AnyScenario;
}
