import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { normalise } from '../text';
import { loadModelFile, type ToxicityModel } from '../toxicity';
import { DEFAULT_OPTIONS } from '../toxicity/training/config';
import { parseJsonl } from '../toxicity/training/dataset';
import { runPipeline, type PipelineOptions } from '../toxicity/training/pipeline';
import { reportJson, reportMarkdown, type RunFacts } from '../toxicity/training/report';

/**
 * `pnpm train:moderation [--data <train.jsonl>] [--out <model dir>] [--reports <dir>] [--normaliser <normalise.ts>]`.
 * Paths are relative to the working directory (the repository root under pnpm); the data set is read
 * here only, never at run time.
 */
function parseArgs(argv: readonly string[]): Record<'data' | 'out' | 'reports' | 'normaliser', string> {
  const args = {
    data: '../shared/datasets/toxicity/train.jsonl',
    out: 'packages/moderation/model',
    reports: 'packages/moderation/reports',
    normaliser: 'packages/moderation/src/text/normalise.ts',
  };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]?.replace(/^--/, '') as keyof typeof args;
    if (!(key in args) || argv[i + 1] === undefined)
      throw new Error(
        `usage: train-moderation [--data f] [--out dir] [--reports dir] [--normaliser f]; bad argument ${argv[i]}`,
      );
    args[key] = argv[i + 1]!;
  }
  return args;
}

const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

/** Q22.4: µs per call over 10k calls, on one text and on 100 distinct test-like texts in rotation. */
function measureSpeed(model: ToxicityModel, texts: readonly string[], length: number): RunFacts['speed'] {
  const samples: string[] = [];
  for (let s = 0; samples.length < 100; s += 1) {
    let text = '';
    for (let k = s * 7; text.length < length; k += 1) text += `${texts[k % texts.length]} `;
    samples.push(normalise(text.slice(0, length)).folded.text);
  }
  const iterations = 10_000;
  const time = (pick: (i: number) => string): number => {
    for (let i = 0; i < 2000; i += 1) model.score(pick(i));
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i += 1) model.score(pick(i));
    return Number(process.hrtime.bigint() - start) / 1000 / iterations;
  };
  return {
    sameTextMicros: time(() => samples[0]!),
    rotatingTextsMicros: time((i) => samples[i % 100]!),
    iterations,
    textLength: length,
  };
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const data = readFileSync(resolve(args.data));
  const options: PipelineOptions = {
    ...DEFAULT_OPTIONS,
    datasetSha256: sha256(data),
    normaliser: {
      file: 'packages/moderation/src/text/normalise.ts',
      sha256: sha256(readFileSync(resolve(args.normaliser))),
      note: 'Reads normalise(text).folded.text; retrain when the normaliser changes (its sha256 is recorded here).',
    },
  };
  const rows = parseJsonl(data.toString('utf8'));
  const started = process.hrtime.bigint();
  const result = runPipeline(rows, options);
  const trainingSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  mkdirSync(resolve(args.out), { recursive: true });
  const artifactFile = `${result.artifact.version}.json`;
  const artifactPath = join(resolve(args.out), artifactFile);
  writeFileSync(artifactPath, `${JSON.stringify(result.artifact, null, 2)}\n`);
  const loadStart = process.hrtime.bigint();
  const loaded = loadModelFile(artifactPath);
  const loadMs = Number(process.hrtime.bigint() - loadStart) / 1e6;
  const facts: RunFacts = {
    command: 'pnpm train:moderation',
    trainingSeconds,
    artifactFile,
    artifactBytes: statSync(artifactPath).size,
    loadMs,
    speed: measureSpeed(
      loaded,
      rows.map((row) => row.text),
      500,
    ),
  };
  mkdirSync(resolve(args.reports), { recursive: true });
  writeFileSync(
    join(resolve(args.reports), 'toxicity.json'),
    `${JSON.stringify(reportJson(result, options, facts), null, 2)}\n`,
  );
  writeFileSync(join(resolve(args.reports), 'toxicity.md'), reportMarkdown(result, options, facts));
  const goals = reportJson(result, options, facts).goals as { id: string; value: number; met: boolean }[];
  // Figures only: the texts never reach the console.
  console.log(
    `${artifactFile}: ${facts.artifactBytes} bytes, trained in ${trainingSeconds.toFixed(1)} s, ${facts.speed.rotatingTextsMicros.toFixed(1)} µs / 500 chars`,
  );
  for (const g of goals) console.log(`  ${g.id}: ${g.value.toFixed(4)} ${g.met ? 'met' : 'NOT met'}`);
}

main();
