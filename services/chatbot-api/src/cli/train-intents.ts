import { parseArgs } from 'node:util';
import { trainIntents } from '../classifier/training/run';

/**
 * `pnpm train:intents [--version intent-v2] [--check]`: trains the intent classifier's versions on
 * data/intents and writes models/<version>.json with its evaluation report (Q7.1–Q7.4). `--check`
 * rebuilds in memory and fails when a committed artifact no longer matches the code and the data.
 */
const { values } = parseArgs({
  options: {
    version: { type: 'string', multiple: true },
    data: { type: 'string' },
    out: { type: 'string' },
    check: { type: 'boolean', default: false },
    'latency-calls': { type: 'string' },
  },
});

const started = Date.now();
const result = trainIntents({
  versions: values.version,
  dataPath: values.data,
  outDir: values.out,
  check: values.check,
  latencyCalls: values['latency-calls'] ? Number(values['latency-calls']) : undefined,
  command: 'pnpm train:intents',
  log: (line) => console.log(line),
});
if (result.stale.length > 0) {
  console.error(`stale artifacts: ${result.stale.join(', ')}; run pnpm train:intents and commit models/`);
  process.exitCode = 1;
}
console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
