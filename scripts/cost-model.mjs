#!/usr/bin/env node
// Q38.1: infrastructure for N daily active users, from the per-core figures measured in docs/performance.md.
// `node scripts/cost-model.mjs [--dau 1000000] [--json]` prints the arithmetic as Markdown (or JSON).
// Every assumption is a named parameter below; every throughput is quoted from docs/performance.md, and
// test/infra/cost-model.spec.ts fails when a quoted figure is no longer in that file.
import { parseArgs } from 'node:util';

/** Usage assumptions: change them to model another product. */
export const USAGE = {
  dau: 1_000_000,
  messagesPerUserPerDay: 10,
  /** Share of a day's messages in its busiest hour, × 24 = the peak factor (business-hours traffic). */
  busiestHourShare: 0.12,
  /** Answered from the query cache and the template (no LLM call); the rest stream from the LLM vendor. */
  cachedAnalyticsShare: 0.6,
  /** Of the cached-analytics answers, how many miss the query cache and reach the warehouse. */
  queryMissRatio: 0.08,
  llmInputTokens: 1_500,
  llmOutputTokens: 400,
  /** Audit events per message (the POST, the answer's reads) and rate-limit decisions per message. */
  auditEventsPerMessage: 2,
  rateLimitDecisionsPerMessage: 3,
  /** Run every fleet at this CPU share at peak (the HPA targets in infra/k8s are 50–65 %). */
  targetUtilisation: 0.6,
};

/** Unit prices (USD), assumed on-demand list prices of a large cloud in 2026; set your own contract's. */
export const PRICES = {
  vcpuHour: 0.04,
  /** Managed Postgres, 4 vCPU / 32 GB, per hour, × (primary + standby + read replica). */
  postgresInstanceHour: 0.5,
  postgresInstances: 3,
  /** Managed Redis node, 2 vCPU / 13 GB, per hour, × (3 primaries + 3 replicas). */
  redisNodeHour: 0.25,
  redisNodes: 6,
  llmInputPerMillion: 0.1,
  llmOutputPerMillion: 0.4,
  hoursPerMonth: 730,
  daysPerMonth: 30.4,
};

/**
 * Per-core throughput, each with the exact text it is quoted from in docs/performance.md (the test
 * checks the quotes). Conservative where the measurement was at a target rather than at saturation.
 */
export const MEASURED = {
  acceptPerCore: {
    value: 100,
    quote: '| `chat-post-message` | the API alone (worker paused, answers queue up) | 100/s |',
    note: 'POST accepted at p95 13.7 ms on one core; not driven to saturation, so a floor',
  },
  cachedAnswersPerWorkerCore: {
    value: 83,
    quote: 'about\n83 answers a second drain a backlog',
    note: 'worker: classify, query-service call, template, gate, store, SSE events',
  },
  queryHitsPerCore: {
    value: 2722,
    quote: '| query-l1 | `POST /v1/queries`, answer in L1 | 2,722 |',
    note: 'query-service answer from L1 over HTTP',
  },
  queryMissesPerCore: {
    value: 265,
    quote: '| query-uncached | `POST /v1/queries`, cache off (warehouse) | 265 |',
    note: 'bound by the warehouse pool, not the service CPU',
  },
  moderationMicrosPerReply: {
    value: 47.3,
    quote: '| chat reply, 500 chars | 47.3 |',
    note: 'engine in process (the gate), median µs per 500-character reply',
  },
  rateLimitDecisionsPerRedisCore: {
    value: 30000,
    quote: 'one Redis core decides roughly 30,000 four-level requests per second',
    note: 'four-level GCRA check',
  },
  auditEventsPerConsumer: {
    value: 6216,
    quote: '| chain append (consumer), 1 writer, batches of 500 | 6,216–8,710 events/s |',
    note: 'lower bound of the measured range',
  },
};

/** LLM-streamed replies keep a worker slot open for the whole generation; CPU is small, slots are the bound. */
export const LLM = { secondsPerGeneration: 6, slotsPerWorkerCore: 64 };

export function costModel(usage = USAGE, prices = PRICES, measured = MEASURED) {
  const perDay = usage.dau * usage.messagesPerUserPerDay;
  const peakPerSecond = (perDay * usage.busiestHourShare) / 3600;
  const cached = peakPerSecond * usage.cachedAnalyticsShare;
  const llm = peakPerSecond - cached;
  const cores = (load, perCore) => Math.ceil(load / perCore / usage.targetUtilisation);
  const rows = [
    {
      part: 'chatbot-api (accept, SSE)',
      load: peakPerSecond,
      unit: 'messages/s',
      cores: cores(peakPerSecond, measured.acceptPerCore.value),
      basis: measured.acceptPerCore,
    },
    {
      part: 'chatbot-worker (cached answers)',
      load: cached,
      unit: 'answers/s',
      cores: cores(cached, measured.cachedAnswersPerWorkerCore.value),
      basis: measured.cachedAnswersPerWorkerCore,
    },
    {
      part: 'chatbot-worker (LLM streams)',
      load: llm,
      unit: 'answers/s',
      cores: cores(llm * LLM.secondsPerGeneration, LLM.slotsPerWorkerCore),
      basis: {
        value: LLM.slotsPerWorkerCore,
        note: `${LLM.secondsPerGeneration} s per generation, ${LLM.slotsPerWorkerCore} open streams per core (assumed: I/O-bound, the event loop holds the streams)`,
      },
    },
    {
      part: 'query-service (hits)',
      load: cached * (1 - usage.queryMissRatio),
      unit: 'queries/s',
      cores: cores(cached * (1 - usage.queryMissRatio), measured.queryHitsPerCore.value),
      basis: measured.queryHitsPerCore,
    },
    {
      part: 'query-service (misses)',
      load: cached * usage.queryMissRatio,
      unit: 'queries/s',
      cores: cores(cached * usage.queryMissRatio, measured.queryMissesPerCore.value),
      basis: measured.queryMissesPerCore,
    },
    {
      part: 'moderation gate (in the worker)',
      load: peakPerSecond,
      unit: 'replies/s',
      cores: cores(peakPerSecond, 1e6 / measured.moderationMicrosPerReply.value),
      basis: measured.moderationMicrosPerReply,
    },
  ];
  const appCores = rows.reduce((sum, row) => sum + row.cores, 0);
  const redisCoresForLimits =
    (peakPerSecond * usage.rateLimitDecisionsPerMessage) / measured.rateLimitDecisionsPerRedisCore.value;
  const auditConsumers = Math.ceil(
    (peakPerSecond * usage.auditEventsPerMessage) / measured.auditEventsPerConsumer.value,
  );
  const monthly = {
    compute: appCores * prices.vcpuHour * prices.hoursPerMonth,
    postgres: prices.postgresInstanceHour * prices.postgresInstances * prices.hoursPerMonth,
    redis: prices.redisNodeHour * prices.redisNodes * prices.hoursPerMonth,
    llm:
      ((perDay * (1 - usage.cachedAnalyticsShare) * prices.daysPerMonth) / 1e6) *
      (usage.llmInputTokens * prices.llmInputPerMillion + usage.llmOutputTokens * prices.llmOutputPerMillion),
  };
  // Autoscaling follows the day (HPA/KEDA in infra/k8s): the average hour is 1/24 of the day against the
  // busiest hour's share, plus 30 % for minimum replicas and scale-down lag.
  const autoscaleFactor = Math.min(1, (1 / 24 / usage.busiestHourShare) * 1.3);
  monthly.computeAutoscaled = monthly.compute * autoscaleFactor;
  const total = monthly.computeAutoscaled + monthly.postgres + monthly.redis + monthly.llm;
  return {
    usage,
    prices,
    perDay,
    peakPerSecond,
    rows,
    appCores,
    redisCoresForLimits,
    auditConsumers,
    autoscaleFactor,
    monthly,
    total,
  };
}

const usd = (n) => `$${Math.round(n).toLocaleString('en-US')}`;
const num = (n, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function renderMarkdown(model) {
  const { usage, monthly } = model;
  const lines = [
    `${num(usage.dau)} daily active users × ${usage.messagesPerUserPerDay} messages = ${num(model.perDay)} messages/day; ` +
      `busiest hour ${usage.busiestHourShare * 100} % of the day → **${num(model.peakPerSecond, 1)} messages/s at peak**.`,
    '',
    '| part | peak load | per-core figure (docs/performance.md) | cores at ' + usage.targetUtilisation * 100 + ' % |',
    '| --- | --- | --- | --- |',
    ...model.rows.map(
      (row) =>
        `| ${row.part} | ${num(row.load, 1)} ${row.unit} | ${num(row.basis.value, 1)} — ${row.basis.note} | ${row.cores} |`,
    ),
    `| **application cores at peak** | | | **${model.appCores}** |`,
    '',
    `Redis for the rate limiter: ${num(model.redisCoresForLimits, 3)} of a core at peak; audit chain consumers: ${model.auditConsumers}.`,
    '',
    '| monthly cost | USD |',
    '| --- | --- |',
    `| compute at peak size all month | ${usd(monthly.compute)} |`,
    `| compute with autoscaling (${Math.round(model.autoscaleFactor * 100)} % of peak size on average) | ${usd(monthly.computeAutoscaled)} |`,
    `| Postgres (${model.prices.postgresInstances} instances) | ${usd(monthly.postgres)} |`,
    `| Redis (${model.prices.redisNodes} nodes) | ${usd(monthly.redis)} |`,
    `| LLM tokens (${usage.llmInputTokens} in + ${usage.llmOutputTokens} out per streamed reply) | ${usd(monthly.llm)} |`,
    `| **total** | **${usd(model.total)}** |`,
  ];
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { dau: { type: 'string' }, json: { type: 'boolean', default: false } } });
  const usage = { ...USAGE, ...(values.dau ? { dau: Number(values.dau) } : {}) };
  const model = costModel(usage);
  console.log(values.json ? JSON.stringify(model, null, 2) : renderMarkdown(model));
}
