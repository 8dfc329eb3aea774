import { usable, type DigitChunk } from './chunks';
import { contextBefore, isAlnumAt, isDigit, isLetterAt } from './context';
import { clampScore, type PiiHit, type ScanInput } from './hit';

/**
 * Q25.1 postal addresses, anchored on a house number so text without digits costs nothing.
 * A: "123 Main St" — number, up to six words, a street-type word (St, Ave, Road, Drive…); 0.7.
 * B: "87 Rue Joseph Vernet" — number, a street prefix word (Rue, Rua, Via, Calle…), its words; 0.6.
 * C: "Hauptstraße 5", "Rua X, 123", "Via Roma 41" — a street word or prefix before the number; 0.65.
 * Then an optional unit ("Apt. 570", "Suite 3") and a city/state line ending in a 4–5 digit postcode
 * ("Springfield, IL 62704", "10115 Berlin") are absorbed: +0.15. Address context words add 0.1.
 */
const SUFFIXES = new Set(
  'st street ave avenue av rd road blvd boulevard dr drive ln lane way ct court pl place ter terrace cir circle pkwy parkway hwy highway sq square trl trail loop row aly alley crescent cres close grove gardens walk mews path pike plaza point ridge run bypass expressway freeway junction crossing rapids springs heights'.split(
    ' ',
  ),
);
const PREFIXES = new Set(
  'rua rue via calle avenida av avda travessa alameda praça praca rodovia estrada viale piazza corso carrer camino camiño trg ul ulica strada largo boulevard chemin allée impasse'.split(
    ' ',
  ),
);
const ENDINGS = [
  'straße',
  'strasse',
  'str',
  'weg',
  'vej',
  'gata',
  'gatan',
  'laan',
  'plein',
  'gasse',
  'allee',
  'platz',
  'ring',
  'damm',
  'steenweg',
  'vegen',
  'veien',
  'gade',
  'utca',
  'ulica',
  'street',
  'road',
  'avenue',
  'lane',
  'drive',
];
const UNITS = new Set(['apt', 'apartment', 'suite', 'ste', 'unit', '#', 'room', 'floor', 'fl', 'box']);
const PARTICLES = new Set([
  'de',
  'da',
  'do',
  'dos',
  'das',
  'del',
  'la',
  'le',
  'di',
  'van',
  'von',
  'der',
  'den',
  'of',
  'the',
]);
const CONTEXT = [
  'address',
  'adresse',
  'endereço',
  'endereco',
  'lives at',
  'located at',
  'sent to',
  'ship to',
  'moved to',
  'wohne',
  'moro',
];

function wordChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return isAlnumAt(text, i) || c === 46 || c === 39 || c === 45 || c === 35;
}

/** End of the word starting at `i` (words are capped at 40 characters to keep scans bounded). */
function wordEnd(text: string, i: number): number {
  let j = i;
  while (j < text.length && j - i < 40 && wordChar(text, j)) j += 1;
  return j;
}

function key(text: string, from: number, to: number): string {
  return text.slice(from, to).toLowerCase().replace(/\.$/, '');
}

function isCapital(text: string, i: number): boolean {
  const ch = text[i] ?? '';
  return isLetterAt(text, i) && ch === ch.toUpperCase() && ch !== ch.toLowerCase();
}

/** Skips up to `max` spaces on the same line (and one comma when `comma`). */
function skipSpace(text: string, i: number, comma: boolean, max = 3): number {
  let j = i;
  let commas = 0;
  while (j < text.length && j - i < max) {
    const c = text.charCodeAt(j);
    if (c === 32) j += 1;
    else if (c === 44 && comma && commas === 0) {
      commas += 1;
      j += 1;
    } else break;
  }
  return j;
}

/** "10115 Berlin": where the postcode comes first, the capitalised city words after it belong too. */
function cityAfterPostcode(text: string, end: number): number {
  let to = end;
  for (let w = 0; w < 3 && text.charCodeAt(to) === 32 && isCapital(text, to + 1); w += 1) to = wordEnd(text, to + 1);
  return to;
}

/** Unit and city/state/postcode lines after a street; returns [end, hadPostcode]. */
function absorbTail(text: string, end: number): [number, boolean] {
  let best = end;
  let j = end;
  const unitStart = skipSpace(text, j, true, 4);
  const unitWordEnd = wordEnd(text, unitStart);
  if (unitStart > j && UNITS.has(key(text, unitStart, unitWordEnd))) {
    const numStart = skipSpace(text, unitWordEnd, false);
    const numEnd = wordEnd(text, numStart);
    if (isDigit(text.charCodeAt(numStart)) || text[numStart] === '#') best = j = numEnd;
  }
  for (let w = 0; w < 7; w += 1) {
    let s = j;
    while (s < text.length && s - j < 4 && /[ ,\n]/.test(text[s]!)) s += 1;
    if (s === j) break;
    const e = wordEnd(text, s);
    if (e === s) break;
    const token = text.slice(s, e);
    if (/^\d{4,5}(?:-\d{4})?$/.test(token)) return [w === 0 ? cityAfterPostcode(text, e) : e, true];
    if (!isLetterAt(text, s) || /[.]$/.test(token)) break;
    j = e;
  }
  return [best, false];
}

function emit(input: ScanInput, from: number, end: number, base: number, out: PiiHit[]): number {
  const [to, postcode] = absorbTail(input.text, end);
  let score = base + (postcode ? 0.15 : 0);
  if (contextBefore(input.lower, from, CONTEXT)) score += 0.1;
  out.push({ type: 'postal_address', from, to, score: clampScore(score) });
  return to;
}

/** Patterns A and B: the house number comes first. */
function numberFirst(input: ScanInput, chunk: DigitChunk, out: PiiHit[]): number {
  const { text } = input;
  const from = chunk.groups[0]!.from;
  let i = chunk.groups[chunk.groups.length - 1]!.to;
  if (text.charCodeAt(i) !== 32) return -1;
  i += 1;
  let streetEnd = -1;
  const first = wordEnd(text, i);
  if (first > i && PREFIXES.has(key(text, i, first)) && isCapital(text, i)) {
    let j = first;
    for (let w = 0; w < 6; w += 1) {
      const s = skipSpace(text, j, false, 1);
      const e = wordEnd(text, s);
      if (s === j || e === s || !(isCapital(text, s) || isDigit(text.charCodeAt(s)) || PARTICLES.has(key(text, s, e))))
        break;
      j = e;
    }
    return j > first ? emit(input, from, j, 0.6, out) : -1;
  }
  let j = i;
  for (let w = 0; w < 6; w += 1) {
    const e = wordEnd(text, j);
    if (e === j) break;
    if (w > 0 && SUFFIXES.has(key(text, j, e)) && isCapital(text, j)) streetEnd = e;
    const next = skipSpace(text, e, false, 1);
    if (next === e) break;
    j = next;
  }
  return streetEnd > 0 ? emit(input, from, streetEnd, 0.7, out) : -1;
}

/** Pattern C: the street comes first, the number after it. */
function numberAfter(input: ScanInput, chunk: DigitChunk, out: PiiHit[]): number {
  const { text } = input;
  const numFrom = chunk.groups[0]!.from;
  let end = chunk.groups[0]!.to;
  if (isLetterAt(text, end) && !isLetterAt(text, end + 1)) end += 1;
  let start = -1;
  let ending = false;
  let j = numFrom;
  for (let w = 0; w < 6; w += 1) {
    if (text.charCodeAt(j - 1) !== 32) break;
    let s = j - 1;
    if (w === 0 && text.charCodeAt(s - 1) === 44) s -= 1;
    let b = s;
    while (b > 0 && s - b < 40 && wordChar(text, b - 1)) b -= 1;
    if (b === s) break;
    const word = key(text, b, s);
    const capital = isCapital(text, b);
    if (PREFIXES.has(word) && capital) {
      start = b;
      break;
    }
    // "during 5" must not read as a street: a short ending needs a capitalised word.
    if (w === 0 && ENDINGS.some((x) => word.endsWith(x) && word.length > x.length && (capital || x.length >= 5))) {
      ending = true;
      start = b;
    } else if (!(capital || PARTICLES.has(word))) break;
    else if (ending && w <= 2 && capital) start = b;
    j = b;
  }
  return start >= 0 ? emit(input, start, end, 0.65, out) : -1;
}

export function detectAddresses(input: ScanInput, out: PiiHit[]): void {
  let coveredTo = -1;
  for (const chunk of input.chunks) {
    if (chunk.lead < coveredTo || chunk.groups.length > 2 || (chunk.glued && chunk.groups.length > 1)) continue;
    if (!usable(chunk) && isLetterAt(input.text, chunk.lead - 1)) continue;
    if (chunk.groups.some((g) => g.to - g.from > 5) || (chunk.groups.length === 2 && chunk.seps[0] !== ' ')) continue;
    const to = numberFirst(input, chunk, out);
    const after = to < 0 && chunk.groups.length === 1 ? numberAfter(input, chunk, out) : -1;
    coveredTo = Math.max(to, after);
  }
}
