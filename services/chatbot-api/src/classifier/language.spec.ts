import { LanguageDetector } from './language';

describe('LanguageDetector', () => {
  const detector = LanguageDetector.create();
  const lexiconOnly = LanguageDetector.create({ franc: false });

  it('When franc-min is installed, then it is loaded (Node ≥ 20.19 requires ES modules; Jest transforms it)', () => {
    expect(detector.usesFranc).toBe(true);
  });

  it.each([
    ['what were total sales in EMEA last quarter', 'en'],
    ['show me the top products', 'en'],
    ['hi', 'en'],
    ['¿cuánto vendimos el mes pasado?', 'es'],
    ['ingresos por región', 'es'],
    ['holaaa', 'es'],
    ['desglose por categoría en LATAM', 'es'],
  ])('When the text is %j, then it is detected as %s', (text, language) => {
    expect(detector.detect(text)).toMatchObject({ language, supported: true });
    expect(lexiconOnly.detect(text)).toMatchObject({ language, supported: true });
  });

  it.each([
    ['Quelles sont les ventes en Europe ce trimestre ?', 'fr'],
    ['Qual foi a receita na Europa no primeiro trimestre?', 'pt'],
    ['Wie hoch war der Umsatz im letzten Monat?', 'de'],
  ])('When the text is %j, then it is another language (%s), not served', (text, language) => {
    expect(detector.detect(text)).toEqual({ language, supported: false, source: 'lexicon' });
  });

  it('When the script is not Latin, then the language is not served, and franc names it', () => {
    expect(detector.detect('Какие продажи в EMEA в первом квартале?')).toEqual({
      language: 'rus',
      supported: false,
      source: 'script',
    });
    expect(lexiconOnly.detect('Какие продажи в EMEA в первом квартале?')).toMatchObject({ supported: false });
    expect(detector.detect('第一季度的销售额是多少')).toMatchObject({ supported: false });
  });

  it('When nothing in the text tells, then the hint decides, else English', () => {
    expect(detector.detect('EMEA Q1 2024', 'es')).toEqual({ language: 'es', supported: true, source: 'hint' });
    expect(detector.detect('EMEA Q1 2024')).toEqual({ language: 'en', supported: true, source: 'default' });
  });
});
