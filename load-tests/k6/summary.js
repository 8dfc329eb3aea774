// A text summary for handleSummary without the remote k6-summary jslib, so the script runs offline.

/**
 * @typedef {{ type: string, contains?: string, values: Record<string, number>, thresholds?: Record<string, { ok: boolean }> }} SummaryMetric
 * @typedef {{ metrics: Record<string, SummaryMetric | undefined>, state: { testRunDurationMs: number } }} SummaryData
 */

/** @param {number | undefined} value */
function ms(value) {
  return value === undefined ? '-' : `${value.toFixed(2)} ms`;
}

/**
 * @param {SummaryData} data
 * @param {{ name: string, baseUrl: string, rate: number, duration: number }} run
 * @returns {{ text: string, passed: boolean }}
 */
export function textSummary(data, run) {
  const duration = data.metrics['http_req_duration{phase:load}'] ?? data.metrics.http_req_duration;
  const failed = data.metrics['http_req_failed{phase:load}'] ?? data.metrics.http_req_failed;
  const reqs = data.metrics.http_reqs;
  const dropped = data.metrics.dropped_iterations;
  const lines = [
    `scenario ${run.name} against ${run.baseUrl}: ${run.rate} it/s for ${run.duration} s`,
    `  requests     ${reqs ? `${reqs.values.count} (${(reqs.values.rate ?? 0).toFixed(1)}/s)` : '-'}`,
    `  latency      p50 ${ms(duration?.values.med)}  p95 ${ms(duration?.values['p(95)'])}  p99 ${ms(duration?.values['p(99)'])}  max ${ms(duration?.values.max)}`,
    `  failed       ${failed ? `${((failed.values.rate ?? 0) * 100).toFixed(2)}%` : '-'}`,
    `  dropped      ${dropped ? dropped.values.count : 0} iterations (the target rate was not carried when > 0)`,
  ];
  let passed = true;
  for (const [metric, summary] of Object.entries(data.metrics)) {
    for (const [condition, outcome] of Object.entries(summary?.thresholds ?? {})) {
      passed = passed && outcome.ok;
      lines.push(`  threshold    ${metric} ${condition}: ${outcome.ok ? 'pass' : 'FAIL'}`);
    }
  }
  lines.unshift(passed ? 'PASS' : 'FAIL');
  return { text: `${lines.join('\n')}\n`, passed };
}
