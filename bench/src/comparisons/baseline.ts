import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Comparison, Contender, HttpContender } from '../harness/types';

export interface ComparisonContext {
  /** Repository root, where `services/<name>/dist/main.js` live. */
  repoRoot: string;
}

const BASELINES_DIR = path.resolve(__dirname, '..', 'baselines');

function baseline(name: string, label: string, file: string): HttpContender {
  return {
    kind: 'http',
    name,
    label,
    server: { command: process.execPath, args: [path.join(BASELINES_DIR, file)] },
    readyPath: '/',
    path: '/',
  };
}

// Ports are chosen by the harness (PORT); each service's own default port is not used.
const SERVICES = ['chatbot-api', 'query-service', 'moderation-service'] as const;

function serviceHealth(repoRoot: string, service: (typeof SERVICES)[number]): HttpContender {
  const main = path.join(repoRoot, 'services', service, 'dist', 'main.js');
  const contender: HttpContender = {
    kind: 'http',
    name: service,
    label: `${service} GET /health/live`,
    // LOG_LEVEL=warn drops the per-request access log, which would otherwise dominate a route this cheap.
    server: { command: process.execPath, args: [main], cwd: repoRoot, env: { LOG_LEVEL: 'warn' } },
    readyPath: '/health/ready',
    path: '/health/live',
    startTimeoutMs: 30_000,
  };
  if (!existsSync(main)) contender.skipReason = `services/${service}/dist/main.js not found (pnpm build)`;
  return contender;
}

/** ARCHITECTURE §10: B0 node:http, B1 Fastify, B2 Nest+Fastify, then each service's health route, in one run. */
export function baselineComparison(context: ComparisonContext): Comparison {
  const contenders: Contender[] = [
    baseline('B0', 'node:http hello world', 'b0-node-http.js'),
    baseline('B1', 'Fastify hello world', 'b1-fastify.js'),
    baseline('B2', 'Nest + Fastify hello world', 'b2-nest-fastify.js'),
    ...SERVICES.map((service) => serviceHealth(context.repoRoot, service)),
  ];
  return {
    name: 'baseline',
    title: 'Baseline: framework floor and service health routes',
    description:
      'Throughput and latency of hello-world servers (B0–B2) and of each service’s liveness route, measured ' +
      'side by side; the ratio column divides each median throughput by B2’s.',
    reference: 'B2',
    contenders,
  };
}
