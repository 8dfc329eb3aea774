import { seededRandom } from '@casebook/ml';
import { complete } from '../complete';
import type { GroundingData, GroundingQuery, LlmChunk } from '../llm.types';
import { composeAnswer, totalsOf } from './compose-answer';
import { describeQuery } from './describe-query';
import { TemplateProvider } from './template.provider';

const Q1_2024 = { from: '2024-01-01T00:00:00.000Z', to: '2024-04-01T00:00:00.000Z' };

function query(overrides: Partial<GroundingQuery> = {}): GroundingQuery {
  return {
    metrics: ['revenue'],
    groupBy: ['category'],
    filters: { region: ['EMEA'] },
    time: Q1_2024,
    timeZone: 'UTC',
    ...overrides,
  };
}

function grounding(overrides: Partial<GroundingData> = {}): GroundingData {
  const q = overrides.query ?? query();
  return {
    query: q,
    columns: [...q.groupBy, ...q.metrics],
    rows: [
      { category: 'furniture', revenue: 812_345.5 },
      { category: 'electronics', revenue: 1_234_567.89 },
      { category: 'books', revenue: 3_210.75 },
      { category: 'toys', revenue: 650_000 },
    ],
    ...overrides,
  };
}

const ask = (g: GroundingData, language: 'en' | 'es' = 'en') => ({
  messages: [{ role: 'user' as const, content: 'revenue in EMEA for Q1 2024 by category' }],
  grounding: g,
  language,
});

/** Every number in an English answer after its description, as a value (€1.23M → 1_230_000). */
function numbersIn(text: string): { value: number; percent: boolean }[] {
  const out: { value: number; percent: boolean }[] = [];
  for (const match of text.matchAll(/(\d[\d,]*(?:\.\d+)?)([KM])?(%)?/g)) {
    const scale = match[2] === 'M' ? 1e6 : match[2] === 'K' ? 1e3 : 1;
    out.push({ value: Number(match[1]!.replace(/,/g, '')) * scale, percent: match[3] === '%' });
  }
  return out;
}

describe('TemplateProvider (the default LLM provider, no network)', () => {
  const provider = new TemplateProvider();

  it('When asked for revenue by category, then it answers with every group, its share and the total, largest first', async () => {
    const answer = await complete(provider, ask(grounding()));

    expect(answer.text).toBe(
      'Revenue in EMEA for Q1 2024 by category: Electronics €1.23M (46%), Furniture €812K (30%), ' +
        'Toys €650K (24%), Books €3,211 (0%). Total: €2.7M.',
    );
    expect(answer).toMatchObject({ provider: 'template', model: 'template-v1', fallback: false, finishReason: 'stop' });
  });

  it('When the same grounding is phrased twice, then the answers are identical (deterministic)', async () => {
    const first = await complete(provider, ask(grounding()));
    const second = await complete(provider, ask(grounding({ rows: [...grounding().rows].reverse() })));

    expect(second.text).toBe(first.text);
  });

  it('When it streams, then it sends one word per chunk and a final chunk with usage', async () => {
    const chunks: LlmChunk[] = [];
    for await (const chunk of provider.generate(ask(grounding()))) chunks.push(chunk);

    const tokens = chunks.filter((c) => c.type === 'token');
    expect(tokens.length).toBeGreaterThan(10);
    for (const token of tokens) expect(token.text.trim()).not.toContain(' ');
    expect(tokens.map((t) => t.text).join('')).toBe(composeAnswer(grounding(), 'en'));
    expect(chunks.at(-1)).toEqual({
      type: 'done',
      provider: 'template',
      model: 'template-v1',
      fallback: false,
      finishReason: 'stop',
      usage: { inputTokens: 0, outputTokens: tokens.length },
    });
  });

  it('When the language is Spanish, then the answer is in Spanish with Spanish number formatting', async () => {
    const answer = await complete(provider, ask(grounding(), 'es'));

    expect(answer.text).toMatch(/^Ingresos en EMEA en el T1 2024 por categoría: Electrónica 1,23\sM\s?€ \(46\s%\)/);
    expect(answer.text).toContain('Muebles 812\u00a0mil\u00a0€ (30\u00a0%)');
    expect(answer.text).toMatch(/Total: 2,7\sM\s?€\.$/);
  });

  it('When the result is empty, then it says there is no data for the question instead of inventing numbers', async () => {
    const empty = grounding({ rows: [] });

    expect((await complete(provider, ask(empty))).text).toBe(
      'There is no data for revenue in EMEA for Q1 2024 by category.',
    );
    expect((await complete(provider, ask(empty, 'es'))).text).toBe(
      'No hay datos de ingresos en EMEA en el T1 2024 por categoría.',
    );
  });

  it('When the result is a single value, then it answers with that value', async () => {
    const q = query({ groupBy: [], metrics: ['revenue'] });
    const single = grounding({ query: q, columns: ['revenue'], rows: [{ revenue: 2_700_124.14 }] });

    expect((await complete(provider, ask(single))).text).toBe('Revenue in EMEA for Q1 2024: €2.7M.');
  });

  it('When a single row has several metrics, then each is named with its value', async () => {
    const q = query({ groupBy: [], metrics: ['orders', 'revenue', 'margin'] });
    const single = grounding({
      query: q,
      columns: q.metrics,
      rows: [{ orders: 12_345, revenue: 98_765.4, margin: 0.3456 }],
    });

    expect((await complete(provider, ask(single))).text).toBe(
      'Orders, revenue and margin in EMEA for Q1 2024: orders 12,345, revenue €98,765, margin 34.6%.',
    );
  });

  it('When a value is null (margin of no revenue), then it says n/a rather than 0', () => {
    const q = query({ groupBy: ['segment'], metrics: ['margin'] });
    const text = composeAnswer(
      grounding({
        query: q,
        columns: ['segment', 'margin'],
        rows: [
          { segment: 'smb', margin: 0.25 },
          { segment: 'consumer', margin: null },
        ],
      }),
    );

    expect(text).toBe('Margin in EMEA for Q1 2024 by segment: SMB 25%, Consumer n/a.');
  });

  it('When the question ranks the top products, then it keeps the ranking and names the top', () => {
    const q = query({ groupBy: ['product'], top: { metric: 'revenue', n: 2 } });
    const text = composeAnswer(
      grounding({
        query: q,
        columns: ['product', 'revenue'],
        rows: [
          { product: 'P0042', revenue: 50_000 },
          { product: 'P0007', revenue: 40_000 },
        ],
      }),
    );

    expect(text).toBe('Top 2 products by revenue in EMEA for Q1 2024: P0042 €50,000 (56%), P0007 €40,000 (44%).');
  });

  it('When grouped by month, then months read in time order with their names', () => {
    const q = query({ groupBy: ['month'], metrics: ['units'] });
    const text = composeAnswer(
      grounding({
        query: q,
        columns: ['month', 'units'],
        rows: [
          { month: '2024-03', units: 300 },
          { month: '2024-01', units: 100 },
          { month: '2024-02', units: 200 },
        ],
      }),
    );

    expect(text).toBe(
      'Units sold in EMEA for Q1 2024 by month: Jan 2024 100 (17%), Feb 2024 200 (33%), Mar 2024 300 (50%). Total: 600.',
    );
  });

  it('When there are more groups than it lists, then it counts the rest and the total still covers all of them', () => {
    const rows = Array.from({ length: 15 }, (_, i) => ({
      product: `P${String(i + 1).padStart(4, '0')}`,
      revenue: 1_000 * (i + 1),
    }));
    const q = query({ groupBy: ['product'] });
    const text = composeAnswer(grounding({ query: q, columns: ['product', 'revenue'], rows }));

    expect(text).toContain(', and 3 more.');
    expect(text).toContain('Total: €120K.');
  });

  it('When the rows are one page of a larger result, then it says the total covers the rows shown', () => {
    const text = composeAnswer(grounding({ truncated: true }));

    expect(text).toContain('Only the first 4 rows were returned; the total covers those rows.');
  });

  it('When the time range is not a whole period, then it names the inclusive dates in the asker’s zone', () => {
    const q = query({
      time: { from: '2024-01-14T23:00:00.000Z', to: '2024-02-29T23:00:00.000Z' },
      timeZone: 'Europe/Madrid',
      groupBy: [],
    });

    expect(describeQuery(q, 'en')).toBe('revenue in EMEA from Jan 15, 2024 to Feb 29, 2024');
    expect(
      describeQuery({ ...q, time: { from: '2023-12-31T23:00:00.000Z', to: '2024-12-31T23:00:00.000Z' } }, 'en'),
    ).toBe('revenue in EMEA for 2024');
  });

  it('When answering many random results, then every number in the answer is a grounding value, their total or a share of it', () => {
    const random = seededRandom(42);
    const categories = ['electronics', 'furniture', 'clothing', 'groceries', 'toys', 'sports', 'books', 'beauty'];
    for (let run = 0; run < 200; run += 1) {
      const count = 1 + Math.floor(random() * categories.length);
      const rows = categories.slice(0, count).map((category) => ({
        category,
        revenue: Math.round(random() * 10 ** (2 + random() * 6) * 100) / 100,
      }));
      const g = grounding({ rows });
      const text = composeAnswer(g, 'en');
      const description = describeQuery(g.query, 'en');
      const total = totalsOf(g).revenue!;
      const values = [...rows.map((r) => r.revenue), total];
      const shares = rows.map((r) => Math.round((100 * r.revenue) / total));

      const numbers = numbersIn(text.slice(description.length));
      expect(numbers.length).toBe(count * 2 + 1);
      for (const { value, percent } of numbers) {
        if (percent) expect(shares).toContain(value);
        // Three significant digits above 100,000, whole euros from 1,000, cents below.
        else expect(values.some((v) => Math.abs(v - value) <= Math.max(0.005, Math.abs(v) * 0.005))).toBe(true);
      }
      for (const row of rows) {
        expect(
          numbers.some((n) => !n.percent && Math.abs(n.value - row.revenue) <= Math.max(0.005, row.revenue * 0.005)),
        ).toBe(true);
      }
    }
  });
});
