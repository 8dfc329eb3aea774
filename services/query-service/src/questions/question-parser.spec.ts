import { queryKey } from '../queries/query-key';
import { dataQueryOf } from './canonical-query';
import { parseQuestion, QuestionNotUnderstood } from './question-parser';

// A fixed "now": Wednesday 2024-06-12 15:30 UTC.
const now = Date.UTC(2024, 5, 12, 15, 30);
const parse = (question: string, timeZone = 'UTC') => parseQuestion(question, { timeZone, now });
const keyOf = (question: string, timeZone = 'UTC') =>
  queryKey(dataQueryOf(parse(question, timeZone)), { region: null });

// Q11.2: at least 20 pairs of phrasings that must land on the same canonical query and the same key.
const SAME: [string, string][] = [
  ['sales in Q1 2024', 'revenue from Jan-Mar 2024'],
  ['revenue by region for 2023', '2023 sales per region'],
  ['total sales in EMEA last month', 'revenue for Europe in the previous month'],
  ['units sold by category in H1 2023', 'quantity per product category in the first half of 2023'],
  ['monthly revenue in 2024', 'revenue by month for 2024'],
  ['profit by segment Q2 2024', 'gross profit per customer segment in the second quarter of 2024'],
  ['revenue for electronics and toys in March 2024', 'toys and electronics sales in mar 2024'],
  ['sales for products P0003, P0001 in Q3 2024', 'revenue of P1 and P3 during 2024 Q3'],
  ['revenue last 7 days', 'sales over the past seven days'],
  ["yesterday's revenue", 'sales yesterday'],
  ['margin by category in 2024', 'profit margin for each category during 2024'],
  ['orders by region this month', 'number of orders per region in the current month'],
  ['revenue between 2024-01-01 and 2024-03-31', 'sales in Q1 2024'],
  ['sales to enterprise customers in EMEA in 2023', 'enterprise segment revenue for europe in 2023'],
  ['daily revenue last week', 'revenue by day for the previous week'],
  ['quarterly sales in 2023', 'revenue per quarter for 2023'],
  ['cost by category in January 2024', 'cogs per category for jan 2024'],
  ['average order value by segment in 2024', 'AOV per customer segment for 2024'],
  ['revenue in APAC and LATAM for Q4 2023', 'sales for latin america and asia pacific in the fourth quarter of 2023'],
  ['weekly units in Q1 2024', 'units by week for Jan-Mar 2024'],
  ['Revenue, by Region, for 2023!', 'revenue by region 2023'],
  ['small business revenue last month', 'sales from the smb segment in the previous month'],
  ['revenue and units by category in 2024', 'units and sales per category for 2024'],
  ['sales by category by region in 2024', 'revenue by region and category in 2024'],
  ['revenue year to date', 'YTD sales'],
];

// …and 10 that look alike but ask something else: different canonical query, different key.
const DIFFERENT: [string, string][] = [
  ['sales in Q1 2024', 'sales in Q2 2024'],
  ['sales in Q1 2024', 'sales in Q1 2023'],
  ['revenue in EMEA in 2024', 'revenue in APAC in 2024'],
  ['revenue by region in 2024', 'revenue by category in 2024'],
  ['revenue for electronics in 2024', 'revenue for electronics and toys in 2024'],
  ['revenue last 7 days', 'revenue last 30 days'],
  ['monthly revenue in 2024', 'weekly revenue in 2024'],
  ['revenue in H1 2023', 'revenue in 2023'],
  ['revenue last month', 'revenue this month'],
  ['revenue between 2024-01-01 and 2024-03-31', 'revenue between 2024-01-01 and 2024-03-30'],
  ['sales for enterprise customers in 2024', 'sales for consumer customers in 2024'],
];

describe('question → canonical query', () => {
  it.each(SAME)('When asked "%s" or "%s", then both give one canonical query and one key', (a, b) => {
    expect(parse(a)).toEqual(parse(b));
    expect(keyOf(a)).toBe(keyOf(b));
  });

  it.each(DIFFERENT)('When asked "%s" and "%s", then the queries and the keys differ', (a, b) => {
    expect(parse(a)).not.toEqual(parse(b));
    expect(keyOf(a)).not.toBe(keyOf(b));
  });

  it('When the tables are counted, then there are at least 20 matching pairs and 10 distinct ones', () => {
    expect(SAME.length).toBeGreaterThanOrEqual(20);
    expect(DIFFERENT.length).toBeGreaterThanOrEqual(10);
  });

  it('When "sales in Q1 2024" is parsed, then the canonical query is absolute, sorted and half-open', () => {
    expect(parse('sales by region and category for electronics, toys in Q1 2024')).toEqual({
      dataset: 'sales',
      metrics: ['revenue'],
      groupBy: ['category', 'region'],
      filters: { category: ['electronics', 'toys'] },
      time: { from: '2024-01-01T00:00:00.000Z', to: '2024-04-01T00:00:00.000Z' },
      timeZone: 'UTC',
    });
  });

  it('When two metrics over the same data are asked, then they share one key but not one canonical query', () => {
    expect(parse('revenue by region in 2024')).not.toEqual(parse('units by region in 2024'));
    expect(keyOf('revenue by region in 2024')).toBe(keyOf('units by region in 2024'));
  });

  it('When "top 5 products by revenue" is asked, then it groups by product and ranks by revenue', () => {
    expect(parse('top 5 products by revenue in 2024')).toMatchObject({
      groupBy: ['product'],
      metrics: ['revenue'],
      top: { n: 5, metric: 'revenue' },
    });
  });

  it.each([
    ['revenue excluding EMEA in 2024', /exclusions/],
    ['revenue in Q1 2024 and Q1 2023', /more than one period/],
    ['what happened in 2024', /name a measure/],
    ['daily and monthly revenue in 2024', /one period at a time/],
    ['revenue for P0999 in 2024', /no product/],
    ['revenue between 2024-03-31 and 2024-01-01', /not a valid period/],
  ])('When asked "%s", then it refuses with a reason instead of guessing', (question, reason) => {
    expect(() => parse(question)).toThrow(QuestionNotUnderstood);
    expect(() => parse(question)).toThrow(reason);
  });
});

describe('time zones (Q18.3)', () => {
  it('When "yesterday" is asked from UTC and from Los Angeles, then the bounds are each zone’s day, in UTC', () => {
    // 2024-06-12 03:00 UTC is still 2024-06-11 20:00 in Los Angeles (UTC-7 in summer).
    const early = Date.UTC(2024, 5, 12, 3, 0);
    const utc = parseQuestion('revenue yesterday', { timeZone: 'UTC', now: early });
    const la = parseQuestion('revenue yesterday', { timeZone: 'America/Los_Angeles', now: early });

    expect(utc.time).toEqual({ from: '2024-06-11T00:00:00.000Z', to: '2024-06-12T00:00:00.000Z' });
    expect(la.time).toEqual({ from: '2024-06-10T07:00:00.000Z', to: '2024-06-11T07:00:00.000Z' });
    expect(queryKey(dataQueryOf(utc), { region: null })).not.toBe(queryKey(dataQueryOf(la), { region: null }));
  });

  it('When a month crosses the spring DST change, then it is 743 hours long in Berlin', () => {
    const march = parse('revenue in March 2024', 'Europe/Berlin');

    expect(march.time).toEqual({ from: '2024-02-29T23:00:00.000Z', to: '2024-03-31T22:00:00.000Z' });
    expect((Date.parse(march.time!.to) - Date.parse(march.time!.from)) / 3_600_000).toBe(743);
  });

  it('When a range crosses the autumn DST change in New York, then each day starts at local midnight', () => {
    const week = parse('daily revenue between 2024-11-01 and 2024-11-04', 'America/New_York');

    expect(week.time).toEqual({ from: '2024-11-01T04:00:00.000Z', to: '2024-11-05T05:00:00.000Z' });
  });

  it('When no time bucket is asked, then two zones asking for the same instants share a key', () => {
    const a = parseQuestion('revenue between 2024-01-01 and 2024-01-31', { timeZone: 'Europe/London', now });
    const b = parseQuestion('revenue between 2024-01-01 and 2024-01-31', { timeZone: 'UTC', now });

    // London is on UTC in January: same instants, no time grain, so one entry serves both.
    expect(a.time).toEqual(b.time);
    expect(queryKey(dataQueryOf(a), { region: null })).toBe(queryKey(dataQueryOf(b), { region: null }));
  });

  it('When "last week" is asked on a Wednesday, then it is the previous Monday–Sunday', () => {
    expect(parse('revenue last week').time).toEqual({
      from: '2024-06-03T00:00:00.000Z',
      to: '2024-06-10T00:00:00.000Z',
    });
  });
});
