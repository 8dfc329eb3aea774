import confusables from 'unhomoglyph/data.json';

/** Character classes the folded view's token passes read (one byte per code unit). */
export const OTHER = 0;
export const LETTER = 1;
export const DIGIT = 2;
/** `$ @ ! |`: read as letters inside a word that has a letter (Q30.1). */
export const LEET = 3;
/** A single one of these between single letters is dropped when the letters are joined (Q30.1). */
export const SEP = 4;

/** ASCII class, lower case and leet tables: the fast path never calls a regex or `normalize`. */
export const ASCII_CLASS = new Uint8Array(128);
export const ASCII_LOWER = new Uint16Array(128);
export const LEET_TO = new Uint16Array(128);

for (let c = 0; c < 128; c += 1) {
  ASCII_LOWER[c] = c >= 65 && c <= 90 ? c + 32 : c;
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) ASCII_CLASS[c] = LETTER;
  else if (c >= 48 && c <= 57) ASCII_CLASS[c] = DIGIT;
}
for (const ch of '$@!|') ASCII_CLASS[ch.charCodeAt(0)] = LEET;
for (const ch of ' .-_*') ASCII_CLASS[ch.charCodeAt(0)] = SEP;
// Q30.1: the usual substitutions; 1 reads as i (sh1t), ll stays ll (h3ll0).
for (const [from, to] of Object.entries({
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '9': 'g',
  $: 's',
  '@': 'a',
  '!': 'i',
  '|': 'i',
})) {
  LEET_TO[from.charCodeAt(0)] = to.charCodeAt(0);
}

/** Q30.4: zero-width, bidi, filler and tag characters that render as nothing. */
export function isInvisible(cp: number): boolean {
  if (cp < 0xad) return false;
  return (
    cp === 0xad ||
    cp === 0x34f ||
    cp === 0x61c ||
    cp === 0x115f ||
    cp === 0x1160 ||
    cp === 0x17b4 ||
    cp === 0x17b5 ||
    (cp >= 0x180b && cp <= 0x180f) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x206f) ||
    cp === 0x3164 ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    cp === 0xfeff ||
    cp === 0xffa0 ||
    (cp >= 0x1bca0 && cp <= 0x1bca3) ||
    (cp >= 0x1d173 && cp <= 0x1d17a) ||
    (cp >= 0xe0000 && cp <= 0xe007f) ||
    (cp >= 0xe0100 && cp <= 0xe01ef)
  );
}

const MARK = /^\p{M}$/u;
const LETTER_OR_MARK = /^[\p{L}\p{M}]$/u;
const NUMBER = /^\p{N}$/u;
// Lazily filled per BMP code point: -1 unknown, 0 no, 1 yes.
const markCache = new Int8Array(65536).fill(-1);

/** A combining mark, which belongs to the cluster of the character before it. */
export function isMark(cp: number): boolean {
  if (cp < 0x300) return false;
  if (cp < 65536) {
    let known = markCache[cp]!;
    if (known < 0) {
      known = MARK.test(String.fromCharCode(cp)) ? 1 : 0;
      markCache[cp] = known;
    }
    return known === 1;
  }
  return MARK.test(String.fromCodePoint(cp));
}

function classOf(cp: number): number {
  if (cp < 128) return ASCII_CLASS[cp]!;
  const s = String.fromCodePoint(cp);
  if (LETTER_OR_MARK.test(s)) return LETTER;
  return NUMBER.test(s) ? DIGIT : OTHER;
}

const CONFUSABLE = confusables as Record<string, string>;

/** The confusable skeleton when it is plain ASCII (ö→ة or —→ー would only add noise). */
function asciiSkeleton(ch: string): string | undefined {
  const skeleton = CONFUSABLE[ch];
  if (skeleton === undefined) return undefined;
  for (let i = 0; i < skeleton.length; i += 1) if (skeleton.charCodeAt(i) >= 128) return undefined;
  return skeleton;
}

export interface ClusterFold {
  /** NFKC, invisibles removed, case kept. */
  readonly literal: string;
  /** ASCII letter the literal reads as in a Latin word (Cyrillic о → o), 0 when none. */
  readonly literalAlt: number;
  readonly folded: string;
  readonly foldedClass: Uint8Array;
}

const EMPTY: ClusterFold = { literal: '', literalAlt: 0, folded: '', foldedClass: new Uint8Array(0) };
const cache = new Map<string, ClusterFold>();
const CACHE_LIMIT = 4096;

function stripInvisible(s: string): string {
  let out = '';
  for (const ch of s) if (!isInvisible(ch.codePointAt(0)!)) out += ch;
  return out;
}

/**
 * Folds one non-ASCII cluster (a base character with its combining marks, so e + U+0301 composes).
 * Growth is capped at 4× so a ligature like U+FDFA cannot inflate the view.
 */
export function foldCluster(cluster: string): ClusterFold {
  if (cluster.length === 1) return foldUnit(cluster.charCodeAt(0));
  const hit = cache.get(cluster);
  if (hit !== undefined) return hit;
  const result = foldClusterUncached(cluster);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(cluster, result);
  return result;
}

function foldClusterUncached(cluster: string): ClusterFold {
  const visible = stripInvisible(cluster);
  let result = EMPTY;
  if (visible.length > 0) {
    const limit = 4 * cluster.length;
    let literal = stripInvisible(visible.normalize('NFKC'));
    if (literal.length > limit) literal = visible;
    let folded = '';
    for (const ch of literal.toLowerCase()) {
      const cp = ch.codePointAt(0)!;
      folded += cp < 128 ? ch : (asciiSkeleton(ch) ?? ch);
    }
    // Full case folding: "SCHEISSE" and "Scheiße" are one word.
    folded = folded.toLowerCase().replace(/ß/g, 'ss');
    if (folded.length > limit) folded = literal.toLowerCase().slice(0, limit);
    const foldedClass = new Uint8Array(folded.length);
    for (let i = 0; i < folded.length; i += 1) {
      const cp = folded.codePointAt(i)!;
      const cls = classOf(cp);
      foldedClass[i] = cls;
      if (cp > 0xffff) foldedClass[++i] = cls;
    }
    let literalAlt = 0;
    if (literal.length === 1 && literal.charCodeAt(0) >= 128 && classOf(literal.charCodeAt(0)) === LETTER) {
      const skeleton = asciiSkeleton(literal);
      if (skeleton !== undefined && skeleton.length === 1) literalAlt = skeleton.charCodeAt(0);
    }
    result = { literal, literalAlt, folded, foldedClass };
  }
  return result;
}

// Most clusters are one BMP code unit: looked up by number, with no slice and no string hashing.
const units: (ClusterFold | undefined)[] = new Array<ClusterFold | undefined>(65536).fill(undefined);

/** `foldCluster` of a single code unit. */
export function foldUnit(code: number): ClusterFold {
  let hit = units[code];
  if (hit === undefined) {
    hit = foldClusterUncached(String.fromCharCode(code));
    units[code] = hit;
  }
  return hit;
}
