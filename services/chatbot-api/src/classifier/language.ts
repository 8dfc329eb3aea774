import { normalise } from './text';

/** The languages the model is trained on and the clarifying questions are written in (Q7.4). */
export const SUPPORTED_LANGUAGES = ['en', 'es'] as const;
export type SupportedLanguage = (typeof SUPPORTED_LANGUAGES)[number];

export interface LanguageGuess {
  /** `en`, `es`, another ISO 639-1 code (`pt`, `fr`, …) or franc's ISO 639-3 code; `und` when nothing tells. */
  language: string;
  supported: boolean;
  /** What decided: function words, franc, the script, the caller's hint, or the default. */
  source: 'lexicon' | 'franc' | 'script' | 'hint' | 'default';
}

type FrancAll = (value: string, options?: { only?: string[]; minLength?: number }) => Array<[string, number]>;

/**
 * Function words (accents folded) of English and Spanish and of the neighbours most likely to be typed
 * into an English/Spanish assistant. A word in two lists counts for both.
 */
const LEXICON: Record<string, readonly string[]> = {
  en: words(`
    the what whats how much many were was is are did do does of for by in on at last this that year
    month week quarter sales revenue show which with and to from our we you your my can please thanks
    thank hello hi hey help top best most compare trend breakdown sold units orders profit give tell me
    have great day where here new start some write explain about than per yesterday all will
  `),
  es: words(`
    el la los las de del que cuanto cuantos cuantas como cual cuales en por para con y un una es son fue
    fueron este esta estos mes ano semana trimestre semestre ventas ingresos beneficio pedidos unidades
    productos muestra muestrame dame dime pasado pasada mas menos hola gracias ayuda se mi lo al hay
    puedo puedes frente entre desglose tendencia compara segmento categoria mejor peor ultimo ultimos
    vendimos me da nos vemos igual buenos buenas buen bien muy genial adios hasta luego vale chao grax
    jaja jajaja jeje holi ey salud perdon voy estoy solo ayudame primeros pasos superventas
  `),
  pt: words(`
    o os as da do das dos em na nos qual quais quanto foi foram vendas receita ano uma com para voce
    obrigado ola ultimo mes
  `),
  fr: words(`
    le les des du est sont quel quelle quelles quels pour avec dans je nous vous et ce cette ventes
    chiffre affaires dernier mois annee combien bonjour merci sur au aux
  `),
  it: words(`
    il gli della delle dei di che quanto vendite fatturato anno mese ultimo ciao grazie sono per nel
  `),
  de: words(`
    der die das und ist wie wir im den dem umsatz verkauf jahr monat letzten hallo danke mit fur von
    welche
  `),
};

/** Letters only one of the candidate languages uses, as extra evidence. */
const LETTER_CUES: Array<[RegExp, string]> = [
  [/[ñ¿¡]/u, 'es'],
  [/[ãõ]/u, 'pt'],
  [/[ßäöü]/u, 'de'],
  [/[èêëàâùûœ]/u, 'fr'],
];

function words(list: string): string[] {
  return list.trim().split(/\s+/);
}

const WORD_LANGUAGES = new Map<string, string[]>();
for (const [language, words] of Object.entries(LEXICON)) {
  for (const word of words) WORD_LANGUAGES.set(word, [...(WORD_LANGUAGES.get(word) ?? []), language]);
}

/** franc's ISO 639-3 codes for the languages above; anything else is reported as franc returns it. */
const ISO3_TO_1: Record<string, string> = { eng: 'en', spa: 'es', por: 'pt', fra: 'fr', ita: 'it', deu: 'de' };

/**
 * Q7.4: which language a question is in, so the reply and any clarifying question are in it, and so a
 * language the model was not trained on is told so instead of being routed on a guess. On the short
 * questions of a chat, function words decide better than trigram statistics (franc calls "what were
 * total sales in EMEA last quarter" French; the training report measures both), so they go first;
 * franc (`franc-min`) decides what they cannot: scripts other than Latin and sentences with no clear
 * function words.
 */
export class LanguageDetector {
  private constructor(private readonly francAll: FrancAll | null) {}

  /** Loads franc when it can; without it, the lexicon and the script check still work. */
  static create(options: { franc?: boolean } = {}): LanguageDetector {
    return new LanguageDetector(options.franc === false ? null : loadFranc());
  }

  get usesFranc(): boolean {
    return this.francAll !== null;
  }

  detect(text: string, hint?: SupportedLanguage): LanguageGuess {
    const sample = text.slice(0, 512);
    const letters = sample.match(/\p{L}/gu) ?? [];
    const latin = letters.filter((letter) => /\p{Script=Latin}/u.test(letter)).length;
    if (letters.length > 0 && latin / letters.length < 0.5) {
      const code = this.francAll ? (this.francAll(sample, { minLength: 1 })[0]?.[0] ?? 'und') : 'und';
      return { language: ISO3_TO_1[code] ?? code, supported: false, source: 'script' };
    }

    const words = normalise(sample).match(/\p{L}+/gu) ?? [];
    const scores = scoreLexicon(sample, words);
    const [best, second] = [...scores.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    if (best && best[1] >= 2 && best[1] - (second?.[1] ?? 0) >= 1) return guess(best[0], 'lexicon');
    // One word is enough to pick English or Spanish ("hola", "help"), not to turn a user away.
    if (best && best[1] === 1 && !second && isSupported(best[0])) return guess(best[0], 'lexicon');

    // Undecided: franc chooses between the two languages served. It is not asked whether the text is in
    // a third language: on a few words its answer is noise (see the training report).
    if (this.francAll && words.length >= 3) {
      const code = this.francAll(sample, { only: ['eng', 'spa'], minLength: 1 })[0]?.[0];
      if (code === 'eng' || code === 'spa') return guess(ISO3_TO_1[code]!, 'franc');
    }
    if (hint) return { language: hint, supported: true, source: 'hint' };
    // Nothing tells ("EMEA Q1 2024", "P0042"): the product's first language, which the model handles.
    return { language: 'en', supported: true, source: 'default' };
  }
}

function isSupported(language: string): language is SupportedLanguage {
  return (SUPPORTED_LANGUAGES as readonly string[]).includes(language);
}

function guess(language: string, source: LanguageGuess['source']): LanguageGuess {
  return { language, supported: isSupported(language), source };
}

function scoreLexicon(sample: string, words: readonly string[]): Map<string, number> {
  const scores = new Map<string, number>();
  const add = (language: string, points: number): void => {
    scores.set(language, (scores.get(language) ?? 0) + points);
  };
  for (const word of words) {
    // Chat spelling: "holaaa", "ayudaaa" → "hola", "ayuda".
    const languages = WORD_LANGUAGES.get(word) ?? WORD_LANGUAGES.get(word.replace(/(\p{L})\1{2,}/gu, '$1'));
    for (const language of languages ?? []) add(language, 1);
  }
  const lower = sample.toLowerCase();
  for (const [pattern, language] of LETTER_CUES) if (pattern.test(lower)) add(language, 2);
  return scores;
}

function loadFranc(): FrancAll | null {
  try {
    // franc-min is published as an ES module only. Node ≥ 20.19 loads it through require() (require(esm));
    // Jest needs it (and trigram-utils, n-gram, collapse-white-space) in jest.config.js's ESM_ONLY list.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('franc-min') as { francAll: FrancAll }).francAll;
  } catch {
    return null;
  }
}
