import { IntentClassifier } from './intent-classifier';
import type { Intent } from './intents';

const classifier = IntentClassifier.load({ split: 'intent-v1=10,intent-v2=90', salt: 'spec' });

/** Questions written for this test, none of them in the data set. */
const PARAPHRASES: Record<Exclude<Intent, 'out_of_scope'>, { en: string[]; es: string[] }> = {
  sales_summary: {
    en: [
      'What was the total revenue in EMEA during Q2 2023?',
      'How much did we sell in APAC in the second quarter?',
      'Give me the overall sales figure for LATAM in 2024',
    ],
    es: [
      '¿Cuánto vendimos en total en EMEA el segundo trimestre de 2023?',
      'dame la facturación total de APAC en 2024',
    ],
  },
  revenue_trend: {
    en: ['Show me how monthly revenue evolved during 2024', 'Is revenue going up or down over the past year?'],
    es: ['¿Cómo evolucionaron los ingresos mensuales durante 2024?'],
  },
  top_products: {
    en: ['Which five products earned the most revenue last quarter?', 'List the best-selling products in EMEA'],
    es: ['¿Cuáles son los cinco productos que más ingresos generaron?'],
  },
  segment_breakdown: {
    en: ["Split this year's revenue by customer segment", 'How is revenue divided among the regions?'],
    es: ['Reparte los ingresos de este año por segmento de cliente'],
  },
  compare_periods: {
    en: ['How does Q2 2024 compare with Q2 2023?', 'Revenue this year versus last year'],
    es: ['¿Cómo se compara el Q2 de 2024 con el Q2 de 2023?'],
  },
  smalltalk: { en: ['hello, good morning!', 'thank you very much'], es: ['hola, buenos días'] },
  help: { en: ['What kinds of questions can I ask you?'], es: ['¿Qué tipo de preguntas puedo hacerte?'] },
};

describe('IntentClassifier', () => {
  describe.each(['intent-v1', 'intent-v2'])('with %s', (version) => {
    it.each(Object.entries(PARAPHRASES).flatMap(([intent, byLang]) => byLang.en.map((text) => [intent, text])))(
      'When an English paraphrase of %s is asked (%s), then it is routed there',
      (intent, text) => {
        const result = classifier.classifyWith(version, text);
        expect(result).toMatchObject({ decision: 'route', intent, language: 'en', modelVersion: version });
        expect(result.clarifyingQuestion).toBeUndefined();
      },
    );

    it.each(Object.entries(PARAPHRASES).flatMap(([intent, byLang]) => byLang.es.map((text) => [intent, text])))(
      'When a Spanish question of %s is asked (%s), then it is routed there and detected as Spanish',
      (intent, text) => {
        expect(classifier.classifyWith(version, text)).toMatchObject({ decision: 'route', intent, language: 'es' });
      },
    );
  });

  it('When the same question is phrased several ways, then every phrasing gets the same intent', () => {
    const phrasings = [
      'revenue in EMEA for Q1 2024',
      'What was EMEA revenue in the first quarter of 2024?',
      'how much revenue did EMEA make in Q1 2024',
      'ingresos de EMEA en el primer trimestre de 2024',
    ];
    const intents = phrasings.map((text) => classifier.classifyWith('intent-v2', text).intent);
    expect(new Set(intents)).toEqual(new Set(['sales_summary']));
  });

  it('When a question has typos, then the version with character n-grams still routes it', () => {
    expect(classifier.classifyWith('intent-v2', 'revnue trned')).toMatchObject({
      decision: 'route',
      intent: 'revenue_trend',
    });
    expect(classifier.classifyWith('intent-v2', 'top prodcts')).toMatchObject({
      decision: 'route',
      intent: 'top_products',
    });
  });

  it.each(['asdf qwer zxcv', 'xkcd blorp fnord', '', '   ', '?!?!'])(
    'When the input is gibberish or empty (%j), then it asks back with examples instead of routing',
    (text) => {
      for (const version of classifier.versions) {
        const result = classifier.classifyWith(version, text);
        expect(result).toMatchObject({ decision: 'clarify', clarifyReason: 'nothing_recognised' });
        expect(result.clarifyingQuestion).toMatch(/EMEA/);
      }
    },
  );

  it('When a question is ambiguous between two intents, then it asks which one, naming both, in the user language', () => {
    const result = classifier.classifyWith('intent-v2', 'ventas');
    expect(result).toMatchObject({ decision: 'clarify', clarifyReason: 'low_margin', language: 'es' });
    expect(result.margin).toBeLessThan(0.4);
    expect(result.clarifyingQuestion).toMatch(/^¿Quieres .+, o .+\?$/);

    const english = classifier.classifyWith('intent-v2', 'What is the weather going to be in Berlin?');
    expect(english).toMatchObject({ decision: 'clarify', language: 'en' });
    expect(english.clarifyingQuestion).toMatch(/^Do you want .+, or .+\?$/);
  });

  it('When the question is in a language the model was not trained on, then it says which languages it serves', () => {
    for (const text of [
      'Quelles sont les ventes en Europe ce trimestre ?',
      'Qual foi a receita na Europa no primeiro trimestre?',
      'Какие продажи в EMEA в первом квартале?',
    ]) {
      const result = classifier.classifyWith('intent-v2', text);
      expect(result).toMatchObject({ decision: 'clarify', clarifyReason: 'unsupported_language' });
      expect(result.language).not.toMatch(/^(en|es)$/);
      expect(result.clarifyingQuestion).toContain('English or Spanish');
      expect(result.clarifyingQuestion).toContain('inglés o en español');
    }
  });

  it('When the text does not tell its language, then the caller hint decides the language of the question back', () => {
    expect(classifier.classifyWith('intent-v2', 'P0042', 'es').language).toBe('es');
    expect(classifier.classifyWith('intent-v2', 'P0042').language).toBe('en');
  });

  it('When a user asks, then the result names the model version and the bucket that chose it', () => {
    const result = classifier.classify('top 10 products by revenue', { subject: 'user-42' });
    expect(classifier.versions).toContain(result.modelVersion);
    expect(result.bucket).toEqual(classifier.assign('user-42').bucket);
    expect(result.modelVersion).toBe(classifier.assign('user-42').version);
    expect(result).toMatchObject({ intent: 'top_products', decision: 'route' });
    expect(result.confidence).toBeGreaterThan(0);
    expect(result.confidence).toBeLessThanOrEqual(1);
  });

  it('When a question is very long, then only its first characters are classified and the answer stays well formed', () => {
    const result = classifier.classifyWith('intent-v2', `top products ${'lorem ipsum '.repeat(10_000)}`);
    expect(['route', 'clarify']).toContain(result.decision);
    expect(Number.isFinite(result.confidence)).toBe(true);
  });

  it('When the split names a version that is not loaded, then construction fails', () => {
    expect(() => IntentClassifier.load({ split: 'intent-v1=50,intent-v9=50', salt: 'x' })).toThrow(/intent-v9/);
  });
});
