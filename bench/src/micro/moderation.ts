import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  ADVERSARIAL_CASES,
  evaluate,
  obfuscate,
  shippedSnapshot,
  type Obfuscation,
  type Snapshot,
} from '@casebook/moderation';
import { RegExpMatcher, englishDataset, englishRecommendedTransformers } from 'obscenity';
import { chatReply, longReply } from './moderation-texts';

export interface MicroOptions {
  runs: number;
  durationS: number;
  warmupS: number;
  outDir: string;
  command: string;
  log: (line: string) => void;
}

interface Timing {
  medianUs: number;
  p95Us: number;
  p99Us: number;
  calls: number;
}

interface Row {
  text: string;
  bytes: number;
  casebook: Timing[];
  obscenity: Timing[];
}

const OBFUSCATIONS: Obfuscation[] = ['plain', 'leet', 'homoglyph', 'zero-width', 'space-split', 'base64'];

/** Calls `f` back to back for `seconds`, timing each call; per-call times give the percentiles. */
function timeCalls(f: () => unknown, seconds: number): Timing {
  const samples: number[] = [];
  const deadline = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  for (let now = process.hrtime.bigint(); now < deadline;) {
    f();
    const after = process.hrtime.bigint();
    samples.push(Number(after - now) / 1_000);
    now = after;
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { medianUs: at(0.5), p95Us: at(0.95), p99Us: at(0.99), calls: samples.length };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * `node bench/dist/cli.js moderation`: the engine with every stage on (default + EU rule sets, model,
 * PII, keywords, injection, regexes) against obscenity's English preset, on the same texts, in one
 * process; then both on the adversarial set for hit rate. Single-threaded work: no server, no pinning.
 */
export async function runModerationBench(options: MicroOptions): Promise<string> {
  const snapshot: Snapshot = shippedSnapshot();
  const context = { direction: 'output' as const, accountRegion: 'EU', now: Date.UTC(2026, 0, 5, 12) };
  const matcher = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });

  const texts: [string, string][] = [
    ['chat reply, 500 chars', chatReply()],
    ['1 kB', longReply(1_000)],
    ['10 kB', longReply(10_000)],
    ['60 kB (≈10,000 words)', longReply(60_000)],
  ];
  const rows: Row[] = [];
  for (const [name, text] of texts) {
    options.log(`moderation: ${name}`);
    const row: Row = { text: name, bytes: text.length, casebook: [], obscenity: [] };
    const seconds = text.length > 20_000 ? options.durationS * 2 : options.durationS;
    timeCalls(() => evaluate(snapshot, text, context), options.warmupS);
    timeCalls(() => matcher.getAllMatches(text), options.warmupS);
    for (let run = 0; run < options.runs; run += 1) {
      row.casebook.push(timeCalls(() => evaluate(snapshot, text, context), seconds));
      row.obscenity.push(timeCalls(() => matcher.getAllMatches(text), seconds));
    }
    rows.push(row);
  }

  const hitRate = adversarialHitRate(snapshot, context, (text) => matcher.hasMatch(text));
  const result = {
    comparison: 'moderation',
    command: options.command,
    startedAt: new Date().toISOString(),
    rows,
    hitRate,
  };
  await mkdir(options.outDir, { recursive: true });
  const file = path.join(options.outDir, `moderation-${result.startedAt.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  return `${render(rows, hitRate, options)}\nJSON: ${path.relative(process.cwd(), file)}\n`;
}

interface HitRate {
  obfuscation: Obfuscation;
  toxic: number;
  casebookToxic: number;
  obscenityToxic: number;
  pii: number;
  casebookPii: number;
  benign: number;
  casebookFalsePositives: number;
  obscenityFalsePositives: number;
}

function adversarialHitRate(
  snapshot: Snapshot,
  context: Parameters<typeof evaluate>[2],
  obscenityHit: (text: string) => boolean,
): HitRate[] {
  return OBFUSCATIONS.map((how) => {
    const rate: HitRate = {
      obfuscation: how,
      toxic: 0,
      casebookToxic: 0,
      obscenityToxic: 0,
      pii: 0,
      casebookPii: 0,
      benign: 0,
      casebookFalsePositives: 0,
      obscenityFalsePositives: 0,
    };
    for (const c of ADVERSARIAL_CASES) {
      const text = obfuscate(c.text, how);
      const flagged = evaluate(snapshot, text, context).action !== 'allow';
      if (c.kind === 'toxic') {
        rate.toxic += 1;
        rate.casebookToxic += flagged ? 1 : 0;
        rate.obscenityToxic += obscenityHit(text) ? 1 : 0;
      } else if (c.kind === 'pii') {
        rate.pii += 1;
        rate.casebookPii += flagged ? 1 : 0;
      } else if (how === 'plain') {
        rate.benign += 1;
        rate.casebookFalsePositives += flagged ? 1 : 0;
        rate.obscenityFalsePositives += obscenityHit(text) ? 1 : 0;
      }
    }
    return rate;
  });
}

const us = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));

function render(rows: Row[], hitRate: HitRate[], options: MicroOptions): string {
  const lines = [
    `## moderation: engine with every stage on vs obscenity (English preset)`,
    '',
    `\`${options.command}\` — ${options.runs} runs × ${options.durationS} s per text and contender, medians over runs`,
    '',
    '| text | casebook median µs | casebook p95 µs | casebook µs/kB | obscenity median µs | obscenity µs/kB |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    const c = median(row.casebook.map((t) => t.medianUs));
    const o = median(row.obscenity.map((t) => t.medianUs));
    const kB = row.bytes / 1_000;
    lines.push(
      `| ${row.text} | ${us(c)} | ${us(median(row.casebook.map((t) => t.p95Us)))} | ${us(c / kB)} | ${us(o)} | ${us(o / kB)} |`,
    );
  }
  lines.push(
    '',
    '| evasion | toxic caught: casebook | toxic caught: obscenity | PII caught: casebook |',
    '| --- | --- | --- | --- |',
  );
  for (const r of hitRate) {
    lines.push(
      `| ${r.obfuscation} | ${r.casebookToxic}/${r.toxic} | ${r.obscenityToxic}/${r.toxic} | ${r.casebookPii}/${r.pii} |`,
    );
  }
  const plain = hitRate[0]!;
  lines.push(
    '',
    `Benign look-alikes flagged: casebook ${plain.casebookFalsePositives}/${plain.benign}, obscenity ${plain.obscenityFalsePositives}/${plain.benign}.`,
  );
  return lines.join('\n');
}
