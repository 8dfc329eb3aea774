import type { PiiType } from '../types';
import { detectPii } from './detect';
import type { PiiHit, PiiOptions } from './hit';

/** One row of a presidio-research corpus (generated_large.json). */
export interface PiiCorpusRow {
  full_text: string;
  spans: readonly { entity_type: string; start_position: number; end_position: number }[];
}

export interface TypeMetrics {
  gold: number;
  predicted: number;
  /** Gold spans matched by a prediction. */
  found: number;
  /** Predictions that match a gold span. */
  correct: number;
  precision: number;
  recall: number;
}

export interface PiiEvaluation {
  rows: number;
  rule: string;
  perType: Partial<Record<PiiType, TypeMetrics>>;
  /** Micro-averaged over every mapped type. */
  overall: TypeMetrics;
  /** Micro-averaged over email, phone, credit_card, iban, us_ssn. */
  core: TypeMetrics;
  /** Predictions of types the corpus does not label (CPF, CNPJ): counted, not judged. */
  unjudged: Partial<Record<PiiType, number>>;
  misses: { type: PiiType; text: string; value: string }[];
  falsePositives: { type: PiiType; text: string; value: string }[];
}

const MAPPING: Readonly<Record<string, PiiType>> = {
  EMAIL_ADDRESS: 'email',
  PHONE_NUMBER: 'phone',
  CREDIT_CARD: 'credit_card',
  IBAN_CODE: 'iban',
  US_SSN: 'us_ssn',
  IP_ADDRESS: 'ip_address',
  ADDRESS: 'postal_address',
  PERSON: 'person',
  DATE_TIME: 'date_of_birth',
};

export const CORE_TYPES: readonly PiiType[] = ['email', 'phone', 'credit_card', 'iban', 'us_ssn'];
export const MATCH_RULE =
  'a prediction is correct when it overlaps a gold span of the mapped type by at least 50% of the longer of the two spans; each gold span is matched at most once';

export function mapPresidioEntity(entity: string): PiiType | undefined {
  return MAPPING[entity];
}

function matches(p: { from: number; to: number }, g: { from: number; to: number }): boolean {
  const overlap = Math.min(p.to, g.to) - Math.max(p.from, g.from);
  return overlap > 0 && overlap >= 0.5 * Math.max(p.to - p.from, g.to - g.from);
}

function metrics(gold: number, predicted: number, found: number, correct: number): TypeMetrics {
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    gold,
    predicted,
    found,
    correct,
    precision: round(predicted === 0 ? 1 : correct / predicted),
    recall: round(gold === 0 ? 1 : found / gold),
  };
}

/** Q25.1: span-level precision and recall of `detectPii` on a labelled corpus (pure: no I/O). */
export function evaluatePii(rows: readonly PiiCorpusRow[], options: PiiOptions = {}, sampleLimit = 40): PiiEvaluation {
  const judged = new Set(Object.values(MAPPING));
  const counts = new Map<PiiType, [number, number, number, number]>();
  const unjudged: Partial<Record<PiiType, number>> = {};
  const misses: PiiEvaluation['misses'] = [];
  const falsePositives: PiiEvaluation['falsePositives'] = [];
  const bump = (t: PiiType, k: 0 | 1 | 2 | 3): void => {
    const c = counts.get(t) ?? [0, 0, 0, 0];
    c[k] += 1;
    counts.set(t, c);
  };
  for (const row of rows) {
    const hits: PiiHit[] = detectPii(row.full_text, options);
    const gold = row.spans.flatMap((s) => {
      const type = MAPPING[s.entity_type];
      return type ? [{ type, from: s.start_position, to: s.end_position, used: false }] : [];
    });
    for (const g of gold) bump(g.type, 0);
    for (const hit of hits) {
      if (!judged.has(hit.type)) {
        unjudged[hit.type] = (unjudged[hit.type] ?? 0) + 1;
        continue;
      }
      bump(hit.type, 1);
      const g = gold.find((x) => !x.used && x.type === hit.type && matches(hit, x));
      if (g) {
        g.used = true;
        bump(hit.type, 2);
        bump(hit.type, 3);
      } else if (falsePositives.length < sampleLimit * 4) {
        falsePositives.push({ type: hit.type, text: row.full_text, value: row.full_text.slice(hit.from, hit.to) });
      }
    }
    for (const g of gold) {
      if (!g.used && misses.length < sampleLimit * 4) {
        misses.push({ type: g.type, text: row.full_text, value: row.full_text.slice(g.from, g.to) });
      }
    }
  }
  const perType: PiiEvaluation['perType'] = {};
  const sum = (types: readonly PiiType[]): TypeMetrics => {
    const t = [0, 0, 0, 0];
    for (const type of types) counts.get(type)?.forEach((v, i) => (t[i]! += v));
    return metrics(t[0]!, t[1]!, t[2]!, t[3]!);
  };
  for (const type of judged) perType[type] = sum([type]);
  return {
    rows: rows.length,
    rule: MATCH_RULE,
    perType,
    overall: sum([...judged]),
    core: sum(CORE_TYPES),
    unjudged,
    misses,
    falsePositives,
  };
}
