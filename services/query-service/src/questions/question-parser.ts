import { DATASET, type Dimension, PRODUCT_COUNT, skuOf } from '../warehouse/catalog';
import {
  type CanonicalQuery,
  type GroupKey,
  isTimeGrain,
  type Metric,
  normalise,
  type TimeGrain,
} from './canonical-query';
import { localDateOf } from './time-zone';
import {
  dateSpan,
  halfSpan,
  type LocalSpan,
  monthSpan,
  quarterSpan,
  relativeSpan,
  type RelativeUnit,
  toRange,
  yearSpan,
} from './time-range';
import {
  GRAIN_ADJECTIVES,
  GROUP_WORDS,
  MEMBER_WORDS,
  METRIC_WORDS,
  MONTHS,
  NEGATIONS,
  NUMBER_WORDS,
  ORDINALS,
} from './vocabulary';

/** The question could not be turned into one canonical query; each problem says why. */
export class QuestionNotUnderstood extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'QuestionNotUnderstood';
  }
}

export interface ParseOptions {
  /** IANA zone of the asker (canonical spelling); relative and calendar periods are resolved in it. */
  timeZone: string;
  /** The instant "today" and "last month" are relative to. */
  now: number;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** An alternation of phrases, longest first, so a longer phrase wins over a word inside it. */
const alternation = (words: string[]): string =>
  [...words]
    .sort((a, b) => b.length - a.length || a.localeCompare(b))
    .map(escape)
    .join('|');
const bounded = (pattern: string, flags = 'g'): RegExp =>
  new RegExp(`(?<![\\p{L}\\p{N}-])(?:${pattern})(?![\\p{L}\\p{N}-])`, `${flags}u`);

const MONTH = `(${alternation(Object.keys(MONTHS))})`;
const NUMBER = `(\\d{1,3}|${alternation(Object.keys(NUMBER_WORDS))})`;
const ORDINAL = `(${alternation(Object.keys(ORDINALS))})`;
const YEAR = '((?:19|20)\\d{2})';
const TO = '(?:to|through|thru|until|till|and|-)';
const ISO_DATE = '(\\d{4})-(\\d{2})-(\\d{2})';
const UNIT = '(days?|weeks?|months?|quarters?|years?)';
const GROUP = alternation(Object.keys(GROUP_WORDS));
const METRIC_RE = bounded(alternation(Object.keys(METRIC_WORDS)));
const MEMBER_RE = bounded(alternation(Object.keys(MEMBER_WORDS)));
const NEGATION_RE = bounded(alternation(NEGATIONS));
const TOP_RE = bounded(`top ${NUMBER} (${GROUP})(?: by (${alternation(Object.keys(METRIC_WORDS))}))?`);
const GROUP_BY_RE = bounded(
  `(?:by|per|for each|for every|in each|each|broken down by|split by|grouped by|group by|across) ` +
    `(${GROUP})((?:(?: and|,|&)? (?:${GROUP}))*)`,
);
const GRAIN_RE = bounded(alternation(Object.keys(GRAIN_ADJECTIVES)));
const PRODUCT_RE = bounded('(?:product |sku )?p-?(\\d{1,4})|product (\\d{1,4})');

const num = (word: string): number => NUMBER_WORDS[word] ?? Number(word);
const month = (word: string): number => MONTHS[word]!;
const unitOf = (word: string): RelativeUnit => word.replace(/s$/, '') as RelativeUnit;
const day = (y: string, m: string, d: string) => ({ year: Number(y), month: Number(m), day: Number(d) });

type TimeRule = [RegExp, (m: RegExpExecArray, options: ParseOptions) => LocalSpan | null];

/** Most specific first: a rule consumes its text, so "jan-mar 2024" is never also read as "2024". */
const TIME_RULES: TimeRule[] = [
  [
    bounded(`(?:from |between )?${ISO_DATE} ${TO} ${ISO_DATE}`),
    (m) => dateSpan(day(m[1]!, m[2]!, m[3]!), day(m[4]!, m[5]!, m[6]!)),
  ],
  [
    bounded(`(?:from |between )?${MONTH} ${YEAR} ${TO} ${MONTH} ${YEAR}`),
    (m) => monthSpan(Number(m[2]), month(m[1]!), Number(m[4]), month(m[3]!)),
  ],
  [
    bounded(`(?:from |between )?${MONTH} ?${TO} ?${MONTH} (?:of )?${YEAR}`),
    (m) => monthSpan(Number(m[3]), month(m[1]!), Number(m[3]), month(m[2]!)),
  ],
  [bounded(`since ${ISO_DATE}`), (m, o) => sinceSpan(day(m[1]!, m[2]!, m[3]!), o)],
  [
    bounded(`since ${MONTH} (?:of )?${YEAR}`),
    (m, o) => sinceSpan({ year: Number(m[2]), month: month(m[1]!), day: 1 }, o),
  ],
  [bounded(`since ${YEAR}`), (m, o) => sinceSpan({ year: Number(m[1]), month: 1, day: 1 }, o)],
  [bounded(`q([1-4])[ -]?(?:of )?${YEAR}`), (m) => quarterSpan(Number(m[2]), Number(m[1]))],
  [bounded(`${YEAR} q([1-4])`), (m) => quarterSpan(Number(m[1]), Number(m[2]))],
  [bounded(`(?:the )?${ORDINAL} quarter (?:of )?${YEAR}`), (m) => quarterSpan(Number(m[2]), ORDINALS[m[1]!]!)],
  [bounded(`h([12]) (?:of )?${YEAR}`), (m) => halfSpan(Number(m[2]), Number(m[1]))],
  [bounded(`${YEAR} h([12])`), (m) => halfSpan(Number(m[1]), Number(m[2]))],
  [bounded(`(?:the )?(first|second|1st|2nd) half (?:of )?${YEAR}`), (m) => halfSpan(Number(m[2]), ORDINALS[m[1]!]!)],
  [bounded(`${MONTH} (?:of )?${YEAR}`), (m) => monthSpan(Number(m[2]), month(m[1]!), Number(m[2]), month(m[1]!))],
  [
    bounded(`(\\d{4})-(\\d{2})`),
    (m) =>
      Number(m[2]) >= 1 && Number(m[2]) <= 12
        ? monthSpan(Number(m[1]), Number(m[2]), Number(m[1]), Number(m[2]))
        : null,
  ],
  [bounded(`(?:on )?${ISO_DATE}`), (m) => dateSpan(day(m[1]!, m[2]!, m[3]!), day(m[1]!, m[2]!, m[3]!))],
  [
    bounded(`(?:(?:in|over|during|for) )?(?:the )?(?:last|past|previous|trailing|prior) ${NUMBER} ${UNIT}`),
    (m, o) => relativeSpan(o.now, o.timeZone, 'trailing', unitOf(m[2]!), num(m[1]!)),
  ],
  [
    bounded(`(?:(?:in|over|during|for) )?(?:the )?(?:last|past|previous|prior) (day|week|month|quarter|year)`),
    (m, o) => relativeSpan(o.now, o.timeZone, 'previous', unitOf(m[1]!)),
  ],
  [
    bounded(`(?:(?:in|over|during|for) )?(?:this|the current|current) (week|month|quarter|year)`),
    (m, o) => relativeSpan(o.now, o.timeZone, 'current', unitOf(m[1]!)),
  ],
  [bounded(`(week|month|quarter|year) to date`), (m, o) => relativeSpan(o.now, o.timeZone, 'toDate', unitOf(m[1]!))],
  [
    bounded('(wtd|mtd|qtd|ytd)'),
    (m, o) =>
      relativeSpan(
        o.now,
        o.timeZone,
        'toDate',
        ({ w: 'week', m: 'month', q: 'quarter', y: 'year' } as const)[m[1]![0] as 'w'],
      ),
  ],
  [bounded('yesterday'), (_m, o) => relativeSpan(o.now, o.timeZone, 'previous', 'day')],
  [bounded('today'), (_m, o) => relativeSpan(o.now, o.timeZone, 'current', 'day')],
  [bounded(`(?:(?:in|for|during) )?(?:fy ?)?${YEAR}`), (m) => yearSpan(Number(m[1]))],
];

function sinceSpan(start: { year: number; month: number; day: number }, options: ParseOptions): LocalSpan {
  return { start, end: relativeSpan(options.now, options.timeZone, 'toDate', 'day').end };
}

function normaliseText(question: string): string {
  return (
    question
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[’‘`]/g, "'")
      .replace(/'s(?![\p{L}])/gu, '')
      .replace(/[–—]/g, '-')
      // Commas stay, as their own token, so "profit, margin" is two measures and never "profit margin".
      .replace(/,/g, ' , ')
      .replace(/[^\p{L}\p{N}\s,-]/gu, ' ')
      .replace(/\s+-\s+/g, ' - ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** Runs `re` over `text`, hands each match to `take`, and blanks what it matched. */
function consume(text: string, re: RegExp, take: (m: RegExpExecArray) => void): string {
  return text.replace(re, (...args) => {
    const groups = args.slice(0, -2) as string[];
    const match = Object.assign(groups, {
      index: args[args.length - 2] as number,
      input: text,
    }) as unknown as RegExpExecArray;
    take(match);
    return ' ';
  });
}

/**
 * Q11.2: a small, deterministic grammar for analytics questions. It recognises measures (with synonyms),
 * groupings, filters and time, and produces the canonical query; two phrasings of one question produce
 * equal values. Anything it does not recognise is ignored unless it changes the meaning (a negation, a
 * second time range), in which case it refuses instead of answering a different question. A hit is never
 * decided by similarity: equal canonical queries share an entry, different ones never do.
 */
export function parseQuestion(question: string, options: ParseOptions): CanonicalQuery {
  // Relative periods resolve to whole local days, so within one local day a question always parses the
  // same: hot questions skip the grammar. Results are deep-frozen because they are shared.
  const memoKey = `${options.timeZone}\u0000${localDayOf(options)}\u0000${question}`;
  const known = memo.get(memoKey);
  if (known) return known;
  const parsed = deepFreeze(parseUncached(question, options));
  if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value!);
  memo.set(memoKey, parsed);
  return parsed;
}

const MEMO_SIZE = 5_000;
const memo = new Map<string, CanonicalQuery>();

function localDayOf(options: ParseOptions): string {
  const d = localDateOf(options.now, options.timeZone);
  return `${d.year}-${d.month}-${d.day}`;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

function parseUncached(question: string, options: ParseOptions): CanonicalQuery {
  const problems: string[] = [];
  let text = normaliseText(question);
  if (NEGATION_RE.test(text)) {
    problems.push('exclusions ("excluding", "except", "not") are not supported; list what to include instead');
  }
  NEGATION_RE.lastIndex = 0;

  const spans: LocalSpan[] = [];
  for (const [re, toSpan] of TIME_RULES) {
    text = consume(text, re, (m) => {
      const span = toSpan(m, options);
      if (span) spans.push(span);
      else problems.push(`"${m[0]}" is not a valid period`);
    });
  }
  if (spans.length > 1) problems.push('the question names more than one period; ask about one at a time');

  const groupBy = new Set<GroupKey>();
  let top: { n: number; metricWord?: string } | undefined;
  text = consume(text, TOP_RE, (m) => {
    top = { n: num(m[1]!), metricWord: m[3] };
    groupBy.add(GROUP_WORDS[m[2]!]!);
  });
  const metrics = new Set<Metric>();
  if (top?.metricWord) metrics.add(METRIC_WORDS[top.metricWord]!);
  text = consume(text, GROUP_BY_RE, (m) => {
    for (const word of [m[1]!, ...(m[2] ?? '').split(/ and |,|&| /)].map((w) => w.trim()).filter(Boolean)) {
      const key = GROUP_WORDS[word];
      if (key) groupBy.add(key);
    }
  });
  text = consume(text, GRAIN_RE, (m) => {
    groupBy.add(GRAIN_ADJECTIVES[m[0]]!);
  });
  const grains = [...groupBy].filter(isTimeGrain) as TimeGrain[];
  if (grains.length > 1) problems.push(`group by one period at a time, not ${grains.join(' and ')}`);

  text = consume(text, METRIC_RE, (m) => metrics.add(METRIC_WORDS[m[0]]!));

  const filters: Partial<Record<Dimension, string[]>> = {};
  const addFilter = (dimension: Dimension, code: string): void => {
    (filters[dimension] ??= []).push(code);
  };
  text = consume(text, PRODUCT_RE, (m) => {
    const id = Number(m[1] ?? m[2]);
    if (id >= 1 && id <= PRODUCT_COUNT) addFilter('product', skuOf(id));
    else problems.push(`there is no product ${m[0].trim()}`);
  });
  text = consume(text, MEMBER_RE, (m) => {
    const member = MEMBER_WORDS[m[0]]!;
    addFilter(member.dimension, member.code);
  });

  if (metrics.size === 0) {
    problems.push('name a measure: revenue (sales), units, cost, profit, margin, orders or average order value');
  }
  if (problems.length > 0) throw new QuestionNotUnderstood(problems);

  const metricList = [...metrics];
  return normalise({
    dataset: DATASET,
    metrics: metricList,
    groupBy: [...groupBy],
    filters,
    time: spans[0] ? toRange(spans[0], options.timeZone) : null,
    timeZone: options.timeZone,
    ...(top ? { top: { n: top.n, metric: top.metricWord ? METRIC_WORDS[top.metricWord]! : metricList[0]! } } : {}),
  });
}
