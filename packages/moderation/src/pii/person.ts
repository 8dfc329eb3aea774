import { isLetterAt } from './context';
import { clampScore, type PiiHit, type ScanInput } from './hit';

/**
 * Q25.1 person names, only where a context word announces them: "my name is X" / "Name: X" /
 * "mein Name ist X" / "meu nome é X" 0.85, titles ("Mr.", "Dr.", "Herr", "Sra.") 0.8, "name X"
 * 0.7, "contact X" 0.6. X is one to four capitalised tokens, with particles ("van der", "da")
 * allowed between them. Names nobody announces are not guessed (no dictionary, no model).
 */
const TRIGGERS: readonly [string, number][] = [
  ['my name is', 0.85],
  ['name is', 0.8],
  ['name:', 0.85],
  ['name', 0.7],
  ['mein name ist', 0.85],
  ['ich heiße', 0.8],
  ['meu nome é', 0.85],
  ['me chamo', 0.8],
  ['mi nombre es', 0.85],
  ['me llamo', 0.8],
  ['mr.', 0.8],
  ['mr', 0.8],
  ['mrs.', 0.8],
  ['mrs', 0.8],
  ['ms.', 0.8],
  ['ms', 0.8],
  ['miss', 0.75],
  ['dr.', 0.8],
  ['prof.', 0.8],
  ['herr', 0.8],
  ['frau', 0.8],
  ['sr.', 0.8],
  ['sra.', 0.8],
  ['srta.', 0.8],
  ['dona', 0.7],
  ['contact', 0.6],
  ['signed', 0.6],
  ['regards,', 0.6],
];
const PARTICLES = new Set([
  'van',
  'der',
  'den',
  'de',
  'da',
  'das',
  'do',
  'dos',
  'del',
  'della',
  'di',
  'du',
  'von',
  'zu',
  'la',
  'le',
  'bin',
  'al',
  'ten',
  'ter',
  'y',
]);
// Capitalised words that follow a trigger without being a name ("contact Support", "Name: N/A").
const NOT_NAMES = new Set([
  'the',
  'support',
  'us',
  'me',
  'our',
  'your',
  'customer',
  'service',
  'team',
  'please',
  'is',
  'and',
  'or',
  'of',
  'address',
  'phone',
  'email',
  'date',
  'i',
  'my',
  'this',
  'that',
  'mr',
  'mrs',
  'ms',
  'miss',
  'dr',
  'prof',
  'herr',
  'frau',
  'sr',
  'sra',
  'srta',
  'dona',
]);

function isUpper(text: string, i: number): boolean {
  const ch = text[i] ?? '';
  return isLetterAt(text, i) && ch !== ch.toLowerCase();
}

function tokenEnd(text: string, i: number): number {
  let j = i;
  while (j < text.length && j - i <= 40) {
    const c = text.charCodeAt(j);
    if (isLetterAt(text, j)) j += 1;
    else if ((c === 45 || c === 39 || c === 8217) && isLetterAt(text, j + 1)) j += 2;
    else break;
  }
  return j - i > 40 ? i : j;
}

/** The announced name starting at `i` (after the trigger), as [from, to], or null. */
function readName(text: string, lower: string, i: number): [number, number] | null {
  let j = i;
  while (j < text.length && j - i < 8 && (text[j] === ' ' || text[j] === ':' || text[j] === '\t')) j += 1;
  if (j === i && text[i - 1] !== ' ') return null;
  const from = j;
  let to = -1;
  let names = 0;
  for (let t = 0; t < 7 && names < 4; t += 1) {
    const e = tokenEnd(text, j);
    if (e === j) break;
    const word = lower.slice(j, e);
    if (isUpper(text, j) && !NOT_NAMES.has(word)) {
      names += 1;
      to = e;
    } else if (!(names > 0 && PARTICLES.has(word))) break;
    if (text[e] !== ' ') break;
    j = e + 1;
  }
  return to > 0 ? [from, to] : null;
}

const SCORES = new Map(TRIGGERS);
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// One alternation pass instead of an indexOf pass per trigger; longest first so "my name is" wins.
const TRIGGER_RE = new RegExp(
  `(?<!\\p{L})(?:${[...SCORES.keys()]
    .sort((a, b) => b.length - a.length)
    .map(escape)
    .join('|')})`,
  'gu',
);

export function detectPersons(input: ScanInput, out: PiiHit[]): void {
  const { text, lower } = input;
  const re = new RegExp(TRIGGER_RE);
  for (let m = re.exec(lower); m; m = re.exec(lower)) {
    const trigger = m[0];
    const end = m.index + trigger.length;
    const boundaryAfter = !isLetterAt(text, end) && (trigger.endsWith('.') || text[end] !== '.');
    const name = boundaryAfter ? readName(text, lower, end) : null;
    if (name) out.push({ type: 'person', from: name[0], to: name[1], score: clampScore(SCORES.get(trigger)!) });
  }
}
