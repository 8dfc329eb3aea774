import type { Language } from '../artifact';
import { LANGUAGES } from '../artifact';
import { seededRandom, shuffleInPlace } from '@casebook/ml';

export interface LabelledRow {
  id: string;
  text: string;
  toxic: 0 | 1;
  label: string;
  lang: Language;
}

export type Split = 'train' | 'validation' | 'test';

export interface SplitShares {
  train: number;
  validation: number;
}

/**
 * Reads `train.jsonl`; a row that does not have the documented shape fails the run naming its line
 * (never its text: the texts contain slurs).
 */
export function parseJsonl(content: string): LabelledRow[] {
  const rows: LabelledRow[] = [];
  const lines = content.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const raw = JSON.parse(line) as Record<string, unknown>;
    const lang = raw.lang as Language;
    if (
      typeof raw.text !== 'string' ||
      (raw.toxic !== 0 && raw.toxic !== 1) ||
      typeof raw.label !== 'string' ||
      !LANGUAGES.includes(lang)
    )
      throw new Error(`line ${i + 1}: expected {text, toxic 0/1, label, lang en|de|pt}`);
    rows.push({
      id: String(raw.id ?? `line:${i + 1}`),
      text: decodeDatasetText(raw.text),
      toxic: raw.toxic,
      label: raw.label,
      lang,
    });
  }
  return rows;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * Undoes how the data sets were written down, not what was written: GermEval encodes line breaks as
 * `|LBR|`, Davidson HTML-escapes (`&amp;`, `&#8220;`). Mentions become `@user` (ToLD-Br's own
 * anonymisation) so Davidson's user names cannot become features that leak across the split.
 */
export function decodeDatasetText(text: string): string {
  return text
    .replace(/\|LBR\|/g, '\n')
    .replace(/&(#\d{1,7}|[a-z]{2,6});/gi, (whole, name: string) => {
      if (name.startsWith('#')) {
        const code = Number(name.slice(1));
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/@\w+/g, '@user');
}

/**
 * Q22.4: fixed seed, stratified by language × fine label (hate / offensive / neither, abuse / insult /
 * profanity / other, toxic / non-toxic): every stratum is shuffled and cut at the same shares.
 */
export function stratifiedSplit(rows: readonly LabelledRow[], shares: SplitShares, seed: number): Split[] {
  const strata = new Map<string, number[]>();
  rows.forEach((row, i) => {
    const key = `${row.lang}:${row.label}`;
    const list = strata.get(key) ?? [];
    list.push(i);
    strata.set(key, list);
  });
  const random = seededRandom(seed);
  const split: Split[] = new Array<Split>(rows.length).fill('test');
  for (const key of [...strata.keys()].sort()) {
    const members = shuffleInPlace(strata.get(key)!, random);
    const train = Math.round(members.length * shares.train);
    const validation = Math.round(members.length * (shares.train + shares.validation));
    members.forEach((row, rank) => {
      split[row] = rank < train ? 'train' : rank < validation ? 'validation' : 'test';
    });
  }
  return split;
}

/**
 * Q22.4: `k` folds over `members` (row indexes), stratified like the split: every language × label
 * stratum is shuffled with the seed and dealt round-robin, so each fold has the same mix.
 */
export function stratifiedFolds(
  rows: readonly LabelledRow[],
  members: readonly number[],
  k: number,
  seed: number,
): Map<number, number> {
  const strata = new Map<string, number[]>();
  for (const i of members) {
    const key = `${rows[i]!.lang}:${rows[i]!.label}`;
    const list = strata.get(key) ?? [];
    list.push(i);
    strata.set(key, list);
  }
  const random = seededRandom(seed ^ 0x5f0d);
  const fold = new Map<number, number>();
  for (const key of [...strata.keys()].sort()) {
    shuffleInPlace(strata.get(key)!, random).forEach((row, rank) => fold.set(row, rank % k));
  }
  return fold;
}
