import type { AnswerLanguage, GroundingData, ResultValue } from '../llm.types';
import { describeQuery, isTimeGrain } from './describe-query';
import {
  ADDITIVE_METRICS,
  capitalise,
  formatShare,
  formatValue,
  memberLabel,
  metricName,
  SHAREABLE_METRICS,
} from './format';

/** Groups named one by one; the rest are counted ("and 4 more") and still included in the total. */
export const MAX_LISTED_GROUPS = 12;

const numberOf = (value: ResultValue | undefined): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

type Row = GroundingData['rows'][number];

/**
 * The template answer: a sentence built only from the grounding rows, so every number in it is one the
 * query service returned (or their sum, or a row's share of that sum). Deterministic: the same grounding
 * and language always give the same text, whatever the time or the machine.
 */
export function composeAnswer(grounding: GroundingData, language: AnswerLanguage = 'en'): string {
  const { query } = grounding;
  const currency = grounding.currency ?? 'EUR';
  const description = describeQuery(query, language);
  const metrics = query.metrics;
  const rows = grounding.rows;
  const value = (metric: string, v: number | null) => formatValue(metric, v, language, currency);

  if (rows.length === 0) {
    return language === 'es' ? `No hay datos de ${description}.` : `There is no data for ${description}.`;
  }

  if (query.groupBy.length === 0) {
    const row = rows[0]!;
    const values =
      metrics.length === 1
        ? value(metrics[0]!, numberOf(row[metrics[0]!]))
        : metrics.map((m) => `${metricName(m, language)} ${value(m, numberOf(row[m]))}`).join(', ');
    return `${capitalise(description)}: ${values}.`;
  }

  const ordered = orderRows(grounding);
  const totals = totalsOf(grounding);
  const listed = ordered.slice(0, MAX_LISTED_GROUPS);
  const label = (row: Row) =>
    query.groupBy.map((key) => memberLabel(key, String(row[key] ?? '—'), language)).join(' / ');

  let items: string[];
  let separator: string;
  if (metrics.length === 1) {
    const metric = metrics[0]!;
    const total = totals[metric];
    const shares =
      SHAREABLE_METRICS.has(metric) &&
      total !== null &&
      total !== undefined &&
      total > 0 &&
      rows.every((r) => (numberOf(r[metric]) ?? 0) >= 0);
    items = listed.map((row) => {
      const v = numberOf(row[metric]);
      const share = shares && v !== null ? ` (${formatShare(v / total!, language)})` : '';
      return `${label(row)} ${value(metric, v)}${share}`;
    });
    separator = ', ';
  } else {
    items = listed.map(
      (row) =>
        `${label(row)}: ${metrics.map((m) => `${metricName(m, language)} ${value(m, numberOf(row[m]))}`).join(', ')}`,
    );
    separator = '; ';
  }

  let text = `${capitalise(description)}: ${items.join(separator)}`;
  const more = ordered.length - listed.length;
  if (more > 0) text += language === 'es' ? `${separator}y ${more} más` : `${separator}and ${more} more`;
  text += '.';

  const totalMetrics = metrics.filter((m) => totals[m] !== undefined);
  if (totalMetrics.length > 0 && !query.top) {
    const parts =
      totalMetrics.length === 1
        ? value(totalMetrics[0]!, totals[totalMetrics[0]!]!)
        : totalMetrics.map((m) => `${metricName(m, language)} ${value(m, totals[m]!)}`).join(', ');
    text += ` Total: ${parts}.`;
  }
  if (grounding.truncated && !grounding.totals) {
    text +=
      language === 'es'
        ? ` Solo se han recibido las primeras ${rows.length} filas; el total se refiere a ellas.`
        : ` Only the first ${rows.length} rows were returned; the total covers those rows.`;
  }
  return text;
}

/**
 * Rankings keep the query service's order, periods read in time order, and other groups largest first
 * by the first metric (ties by label), so the answer leads with what matters.
 */
function orderRows(grounding: GroundingData): Row[] {
  const { query } = grounding;
  if (query.top) return grounding.rows;
  const labels = (row: Row) => query.groupBy.map((key) => String(row[key] ?? ''));
  const byLabel = (a: Row, b: Row) => {
    const x = labels(a).join('\u0000');
    const y = labels(b).join('\u0000');
    return x < y ? -1 : x > y ? 1 : 0;
  };
  if (isTimeGrain(query.groupBy[0] ?? '')) return [...grounding.rows].sort(byLabel);
  const metric = query.metrics[0];
  if (!metric) return [...grounding.rows].sort(byLabel);
  return [...grounding.rows].sort((a, b) => {
    const x = numberOf(a[metric]);
    const y = numberOf(b[metric]);
    if (x !== y) return y === null ? -1 : x === null ? 1 : y - x;
    return byLabel(a, b);
  });
}

/** Totals as given by the caller, or summed from the rows for additive metrics. */
export function totalsOf(grounding: GroundingData): Record<string, number | null | undefined> {
  const totals: Record<string, number | null | undefined> = {};
  for (const metric of grounding.query.metrics) {
    if (grounding.totals && metric in grounding.totals) totals[metric] = grounding.totals[metric] ?? null;
    else if (ADDITIVE_METRICS.has(metric)) {
      let sum = 0;
      for (const row of grounding.rows) sum += numberOf(row[metric]) ?? 0;
      totals[metric] = Math.round(sum * 100) / 100;
    }
  }
  return totals;
}
