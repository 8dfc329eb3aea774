import path from 'node:path';
import { parseBenchCli, USAGE, UsageError } from './cli-options';
import { COMPARISONS } from './comparisons';
import { childProcessGenerator, inProcessGenerator } from './harness/generator';
import { detectPinning } from './harness/pinning';
import { renderComparison, writeComparisonJson } from './harness/render';
import { runComparison } from './harness/run-comparison';
import { runModerationBench } from './micro/moderation';
import { runQueryZipf } from './comparisons/query-zipf';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

async function main(argv: readonly string[]): Promise<number> {
  let options;
  try {
    options = parseBenchCli(argv);
  } catch (error: unknown) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  if (options.list || !options.comparison) {
    console.log([...Object.keys(COMPARISONS), 'moderation', 'query-zipf'].join('\n'));
    return 0;
  }
  if (options.comparison === 'moderation') {
    // An in-process library: timed per call in this process, no server and no generator.
    const command = ['node bench/dist/cli.js', ...argv].join(' ');
    const log = (line: string): void => console.error(line);
    console.log(await runModerationBench({ ...options.bench, outDir: options.outDir, command, log }));
    return 0;
  }
  if (options.comparison === 'query-zipf') {
    // Q19.1 on the real path: a hit ratio, not a speed, so no generator and no timed runs.
    const report = await runQueryZipf(REPO_ROOT, undefined, (line) => console.error(line));
    console.log(JSON.stringify(report, null, 2));
    return 0;
  }
  const factory = COMPARISONS[options.comparison];
  if (!factory) {
    console.error(`unknown comparison ${options.comparison}; known: ${Object.keys(COMPARISONS).join(', ')}`);
    return 2;
  }
  const comparison = factory({ repoRoot: REPO_ROOT });
  if (options.only.length > 0) {
    comparison.contenders = comparison.contenders.filter((contender) => options.only.includes(contender.name));
  }

  const pinning = detectPinning(options.bench.pin);
  const generator = options.inProcess ? inProcessGenerator() : childProcessGenerator(pinning);
  // Progress goes to stderr so stdout carries only the table.
  const log = (line: string): void => console.error(line);
  log(`bench ${comparison.name}: pinning ${pinning.description}`);
  try {
    const result = await runComparison({
      comparison,
      options: options.bench,
      generator,
      pinning,
      command: ['node bench/dist/cli.js', ...argv].join(' '),
      log,
    });
    const file = await writeComparisonJson(result, options.outDir);
    console.log(renderComparison(result));
    const shown = path.relative(process.cwd(), file);
    console.log(`JSON: ${shown.startsWith('..') ? file : shown}`);
    return 0;
  } finally {
    await generator.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
