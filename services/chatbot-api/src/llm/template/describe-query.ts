import type { AnswerLanguage, GroundingQuery } from '../llm.types';
import { joinList, memberLabel, metricName, monthLabel, quarterLabel } from './format';

const TIME_GRAINS = new Set(['day', 'week', 'month', 'quarter', 'year']);

const GROUP_NAMES: Record<AnswerLanguage, Record<string, string>> = {
  en: {
    category: 'category',
    product: 'product',
    region: 'region',
    segment: 'segment',
    day: 'day',
    week: 'week',
    month: 'month',
    quarter: 'quarter',
    year: 'year',
  },
  es: {
    category: 'categoría',
    product: 'producto',
    region: 'región',
    segment: 'segmento',
    day: 'día',
    week: 'semana',
    month: 'mes',
    quarter: 'trimestre',
    year: 'año',
  },
};

const TOP_NOUNS: Record<AnswerLanguage, Record<string, string>> = {
  en: { category: 'categories', product: 'products', region: 'regions', segment: 'segments' },
  es: { category: 'categorías', product: 'productos', region: 'regiones', segment: 'segmentos' },
};

export function isTimeGrain(key: string): boolean {
  return TIME_GRAINS.has(key);
}

export function groupName(key: string, language: AnswerLanguage): string {
  return GROUP_NAMES[language][key] ?? key;
}

/**
 * The question as the data answers it, e.g. "revenue in EMEA for Q1 2024 by category". Built from the
 * canonical query only, so two phrasings of one question get the same description.
 */
export function describeQuery(query: GroundingQuery, language: AnswerLanguage): string {
  const parts: string[] = [];
  const metrics = joinList(
    query.metrics.map((m) => metricName(m, language)),
    language,
  );
  const top = query.top;
  const ranked = top ? query.groupBy.find((key) => !isTimeGrain(key)) : undefined;
  if (top && ranked) {
    const noun = TOP_NOUNS[language][ranked] ?? groupName(ranked, language);
    parts.push(
      language === 'es'
        ? `los ${top.n} ${noun} principales por ${metricName(top.metric, language)}`
        : `top ${top.n} ${noun} by ${metricName(top.metric, language)}`,
    );
  } else {
    parts.push(metrics);
  }
  parts.push(...describeFilters(query.filters, language));
  const time = describeTime(query.time, query.timeZone, language);
  if (time) parts.push(time);
  const groups = query.groupBy.filter((key) => key !== ranked);
  if (groups.length > 0) {
    parts.push(
      (language === 'es' ? 'por ' : 'by ') +
        joinList(
          groups.map((g) => groupName(g, language)),
          language,
        ),
    );
  }
  return parts.join(' ');
}

function describeFilters(filters: GroundingQuery['filters'], language: AnswerLanguage): string[] {
  const out: string[] = [];
  for (const key of Object.keys(filters).sort()) {
    const values = filters[key];
    if (!values || values.length === 0) continue;
    const labels = joinList(
      values.map((v) => memberLabel(key, v, language)),
      language,
    );
    const plural = values.length > 1;
    if (language === 'es') {
      if (key === 'region') out.push(`en ${labels}`);
      else if (key === 'category') out.push(`en ${plural ? 'las categorías' : 'la categoría'} ${labels}`);
      else if (key === 'segment') out.push(`en ${plural ? 'los segmentos' : 'el segmento'} ${labels}`);
      else if (key === 'product') out.push(`de ${plural ? 'los productos' : 'el producto'} ${labels}`);
      else out.push(`con ${groupName(key, language)} ${labels}`);
    } else if (key === 'region') out.push(`in ${labels}`);
    else if (key === 'category') out.push(`in the ${labels} ${plural ? 'categories' : 'category'}`);
    else if (key === 'segment') out.push(`in the ${labels} ${plural ? 'segments' : 'segment'}`);
    else if (key === 'product') out.push(`for ${plural ? 'products' : 'product'} ${labels}`);
    else out.push(`with ${groupName(key, language)} ${labels}`);
  }
  return out;
}

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

function localDate(instant: string, timeZone: string): LocalDate | null {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return null;
  let zone = timeZone;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    zone = 'UTC';
  }
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(date)
    .reduce<Record<string, string>>((acc, part) => ((acc[part.type] = part.value), acc), {});
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day) };
}

function dateLabel(date: LocalDate, language: AnswerLanguage): string {
  const value = new Date(Date.UTC(date.year, date.month - 1, date.day));
  return new Intl.DateTimeFormat(language, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    value,
  );
}

/**
 * `[from, to)` read in the asker's zone: a whole quarter, month or year gets its name, anything else the
 * inclusive dates ("from 1 Jan 2024 to 15 Mar 2024").
 */
export function describeTime(time: GroundingQuery['time'], timeZone: string, language: AnswerLanguage): string | null {
  if (!time) return null;
  const from = localDate(time.from, timeZone);
  const to = localDate(time.to, timeZone);
  if (!from || !to) return null;
  const months = (to.year - from.year) * 12 + (to.month - from.month);
  const prefix = language === 'es' ? 'en ' : 'for ';
  if (from.day === 1 && to.day === 1) {
    if (months === 12 && from.month === 1) return `${prefix}${from.year}`;
    if (months === 3 && (from.month - 1) % 3 === 0) {
      return `${prefix}${language === 'es' ? 'el ' : ''}${quarterLabel(from.year, (from.month + 2) / 3, language)}`;
    }
    if (months === 1) return `${prefix}${monthLabel(from.year, from.month, language, 'long')}`;
  }
  const last = new Date(Date.UTC(to.year, to.month - 1, to.day - 1));
  const end = { year: last.getUTCFullYear(), month: last.getUTCMonth() + 1, day: last.getUTCDate() };
  return language === 'es'
    ? `del ${dateLabel(from, language)} al ${dateLabel(end, language)}`
    : `from ${dateLabel(from, language)} to ${dateLabel(end, language)}`;
}
