import { LanguageDetector } from '../language';
import type { Example } from './dataset';

export interface DetectorScore {
  detector: string;
  accuracy: number;
  /** en/es questions the detector called another language (they would get the "English or Spanish" reply). */
  calledUnsupported: number;
  medianUs: number;
}

type FrancAll = (value: string, options?: { only?: string[]; minLength?: number }) => Array<[string, number]>;

/**
 * Q7.4: how well each way of telling English from Spanish does on the dataset's questions (all rows:
 * nothing here is trained). Lexicon words were written with these questions in view, so its figure is
 * optimistic; franc's is not.
 */
export function languageStudy(examples: readonly Example[]): DetectorScore[] {
  const withFranc = LanguageDetector.create();
  const lexiconOnly = LanguageDetector.create({ franc: false });
  const contenders: Array<[string, (text: string) => string]> = [
    ['function words, then franc (the classifier)', (text) => withFranc.detect(text).language],
    ['function words only', (text) => lexiconOnly.detect(text).language],
  ];
  const franc = loadFrancForStudy();
  if (franc) {
    const only = ['eng', 'spa'];
    const iso = (code: string | undefined): string => (code === 'eng' ? 'en' : code === 'spa' ? 'es' : (code ?? 'und'));
    contenders.push(['franc-min, English or Spanish only', (text) => iso(franc(text, { only, minLength: 1 })[0]?.[0])]);
    contenders.push(['franc-min, all its languages', (text) => iso(franc(text, { minLength: 1 })[0]?.[0])]);
  }
  return contenders.map(([detector, detect]) => {
    let right = 0;
    let calledUnsupported = 0;
    const times: number[] = [];
    for (const example of examples) {
      const start = process.hrtime.bigint();
      const language = detect(example.text);
      times.push(Number(process.hrtime.bigint() - start) / 1_000);
      if (language === example.lang) right += 1;
      else if (language !== 'en' && language !== 'es') calledUnsupported += 1;
    }
    times.sort((a, b) => a - b);
    return {
      detector,
      accuracy: right / examples.length,
      calledUnsupported,
      medianUs: times[Math.floor(times.length / 2)] ?? 0,
    };
  });
}

function loadFrancForStudy(): FrancAll | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('franc-min') as { francAll: FrancAll }).francAll;
  } catch {
    return null;
  }
}
