import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeywordList } from './automaton';

const LANGUAGES = ['en', 'de', 'es', 'fr', 'it', 'pt'] as const;
// data/ sits beside src/ and dist/, so the same relative path works from both.
const DIRECTORY = join(__dirname, '..', '..', 'data', 'wordlists');

let cached: readonly KeywordList[] | undefined;

/** LDNOOBW word lists (CC BY 4.0, licence beside them), one `profanity:<lang>` list per language. */
export function defaultWordLists(): KeywordList[] {
  cached ??= LANGUAGES.map((lang) => {
    const terms = readFileSync(join(DIRECTORY, `${lang}.txt`), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 0);
    return Object.freeze({ id: `profanity:${lang}`, terms: Object.freeze(terms) });
  });
  return [...cached];
}
