import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { INTENTS } from '../intents';
import { SUPPORTED_LANGUAGES } from '../language';
import { seededRandom, shuffled } from '@casebook/ml';

export const exampleSchema = z.object({
  text: z.string().min(1).max(500),
  intent: z.enum(INTENTS),
  lang: z.enum(SUPPORTED_LANGUAGES),
});

export type Example = z.infer<typeof exampleSchema>;

export interface Dataset {
  examples: Example[];
  /** Of the file's bytes: an artifact names the exact data it was trained on. */
  sha256: string;
}

/** One JSON object per line; a bad line fails the whole load, naming its line number. */
export function parseDataset(content: string): Dataset {
  const examples = content
    .split('\n')
    .map((line, index) => ({ line: line.trim(), number: index + 1 }))
    .filter(({ line }) => line.length > 0)
    .map(({ line, number }) => {
      const parsed = exampleSchema.safeParse(safeJson(line));
      if (!parsed.success) throw new Error(`line ${number}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
      return parsed.data;
    });
  return { examples, sha256: createHash('sha256').update(content).digest('hex') };
}

export function loadDataset(path: string): Dataset {
  return parseDataset(readFileSync(path, 'utf8'));
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/** Examples grouped by intent × language, each group in file order. */
function strata(examples: readonly Example[]): Example[][] {
  const groups = new Map<string, Example[]>();
  for (const example of examples) {
    const key = `${example.intent}/${example.lang}`;
    groups.set(key, [...(groups.get(key) ?? []), example]);
  }
  return [...groups.keys()].sort().map((key) => groups.get(key)!);
}

/**
 * Held-out split stratified by intent × language: each intent has the same share of English and Spanish
 * questions on both sides, so per-intent and per-language figures are measured, not left to chance.
 */
export function stratifiedSplit(
  examples: readonly Example[],
  options: { heldOutShare: number; seed: number },
): { train: Example[]; heldOut: Example[] } {
  const random = seededRandom(options.seed);
  const train: Example[] = [];
  const heldOut: Example[] = [];
  for (const group of strata(examples)) {
    const mixed = shuffled(group, random);
    const cut = Math.round(group.length * options.heldOutShare);
    heldOut.push(...mixed.slice(0, cut));
    train.push(...mixed.slice(cut));
  }
  return { train, heldOut };
}

/** k stratified folds (for choosing thresholds on out-of-fold predictions). */
export function stratifiedFolds(examples: readonly Example[], k: number, seed: number): Example[][] {
  const random = seededRandom(seed);
  const folds: Example[][] = Array.from({ length: k }, () => []);
  let next = 0;
  for (const group of strata(examples)) {
    for (const example of shuffled(group, random)) {
      folds[next % k]!.push(example);
      next += 1;
    }
  }
  return folds;
}
