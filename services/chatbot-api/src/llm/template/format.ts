import type { AnswerLanguage } from '../llm.types';

/** How a metric's numbers read: money, counts or a ratio. Unknown metrics read as plain numbers. */
type MetricKind = 'money' | 'count' | 'ratio';

const METRIC_KIND: Record<string, MetricKind> = {
  revenue: 'money',
  cost: 'money',
  profit: 'money',
  average_order_value: 'money',
  units: 'count',
  orders: 'count',
  margin: 'ratio',
};

/** Metrics whose rows add up to the total, so a row's share of it means something. */
export const ADDITIVE_METRICS = new Set(['revenue', 'cost', 'profit', 'units', 'orders']);
/** Additive and never negative: shares are shown for these only (a negative profit has no share). */
export const SHAREABLE_METRICS = new Set(['revenue', 'cost', 'units', 'orders']);

const METRIC_NAMES: Record<AnswerLanguage, Record<string, string>> = {
  en: {
    revenue: 'revenue',
    cost: 'cost',
    profit: 'profit',
    margin: 'margin',
    orders: 'orders',
    units: 'units sold',
    average_order_value: 'average order value',
  },
  es: {
    revenue: 'ingresos',
    cost: 'coste',
    profit: 'beneficio',
    margin: 'margen',
    orders: 'pedidos',
    units: 'unidades vendidas',
    average_order_value: 'valor medio del pedido',
  },
};

const MEMBER_NAMES: Record<AnswerLanguage, Record<string, Record<string, string>>> = {
  en: {
    category: {
      electronics: 'Electronics',
      furniture: 'Furniture',
      clothing: 'Clothing',
      groceries: 'Groceries',
      toys: 'Toys',
      sports: 'Sports',
      books: 'Books',
      beauty: 'Beauty',
    },
    segment: { enterprise: 'Enterprise', smb: 'SMB', consumer: 'Consumer' },
  },
  es: {
    category: {
      electronics: 'Electrónica',
      furniture: 'Muebles',
      clothing: 'Ropa',
      groceries: 'Alimentación',
      toys: 'Juguetes',
      sports: 'Deportes',
      books: 'Libros',
      beauty: 'Belleza',
    },
    segment: { enterprise: 'Grandes empresas', smb: 'Pymes', consumer: 'Consumidores' },
  },
};

export const NOT_AVAILABLE: Record<AnswerLanguage, string> = { en: 'n/a', es: 'n/d' };

export function metricName(metric: string, language: AnswerLanguage): string {
  return METRIC_NAMES[language][metric] ?? metric.replace(/_/g, ' ');
}

export function capitalise(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

/** A list joined the way a sentence lists things: "a, b and c" / "a, b y c". */
export function joinList(items: string[], language: AnswerLanguage): string {
  if (items.length <= 1) return items.join('');
  const and = language === 'es' ? ' y ' : ' and ';
  return items.slice(0, -1).join(', ') + and + items[items.length - 1];
}

const MONTH = /^(\d{4})-(\d{2})$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;

/** A group label as a reader expects it: category names, "Jan 2024" for `2024-01`, "Q1 2024" for `2024-Q1`. */
export function memberLabel(key: string, value: string, language: AnswerLanguage): string {
  const known = MEMBER_NAMES[language][key]?.[value];
  if (known) return known;
  if (key === 'month') {
    const match = MONTH.exec(value);
    if (match) return monthLabel(Number(match[1]), Number(match[2]), language, 'short');
  }
  if (key === 'quarter') {
    const match = QUARTER.exec(value);
    if (match) return quarterLabel(Number(match[1]), Number(match[2]), language);
  }
  return value;
}

export function monthLabel(year: number, month: number, language: AnswerLanguage, width: 'short' | 'long'): string {
  const date = new Date(Date.UTC(year, month - 1, 1));
  const name = new Intl.DateTimeFormat(language, { month: width, timeZone: 'UTC' }).format(date).replace(/\.$/, '');
  return language === 'es' && width === 'long' ? `${name} de ${year}` : `${name} ${year}`;
}

export function quarterLabel(year: number, quarter: number, language: AnswerLanguage): string {
  return `${language === 'es' ? 'T' : 'Q'}${quarter} ${year}`;
}

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(language: AnswerLanguage, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = language + JSON.stringify(options);
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.NumberFormat(language, options);
    formatters.set(key, format);
  }
  return format;
}

/**
 * A metric value as the answer prints it. Large amounts are compact with three significant digits
 * (€2.71M), smaller ones exact; a reader checks an answer against a dashboard, so rounding is visible
 * and bounded, never invented.
 */
export function formatValue(metric: string, value: number | null, language: AnswerLanguage, currency: string): string {
  if (value === null || !Number.isFinite(value)) return NOT_AVAILABLE[language];
  const kind = METRIC_KIND[metric];
  const large = Math.abs(value) >= 100_000;
  if (kind === 'money') {
    return large
      ? formatter(language, { style: 'currency', currency, notation: 'compact', maximumSignificantDigits: 3 }).format(
          value,
        )
      : formatter(language, {
          style: 'currency',
          currency,
          minimumFractionDigits: Math.abs(value) >= 1_000 ? 0 : 2,
          maximumFractionDigits: Math.abs(value) >= 1_000 ? 0 : 2,
        }).format(value);
  }
  if (kind === 'ratio') return formatShare(value, language, 1);
  if (Math.abs(value) >= 1_000_000) {
    return formatter(language, { notation: 'compact', maximumSignificantDigits: 3 }).format(value);
  }
  return formatter(language, { maximumFractionDigits: kind === 'count' ? 0 : 2 }).format(value);
}

export function formatShare(ratio: number, language: AnswerLanguage, digits = 0): string {
  return formatter(language, { style: 'percent', maximumFractionDigits: digits }).format(ratio);
}
