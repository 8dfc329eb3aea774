import { normalise } from '../text';

export interface KeywordList {
  id: string;
  terms: readonly string[];
}

/** One hit in the coordinates of the scanned (folded) view; `toOriginal` maps it to the original. */
export interface ViewHit {
  listId: string;
  term: string;
  from: number;
  to: number;
}

/** Work done by one `scan`, for callers (and tests) that check it stays linear. */
export interface ScanStats {
  /** Characters that took a transition of the automaton. */
  steps: number;
  hits: number;
}

const SPACE = 1; // symbol shared by whitespace, `-` and `_`, so "g-spot" and "g  spot" are one term

function isSpaceLike(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 45 || c === 95;
}

const WORD = /^[\p{L}\p{M}\p{N}]$/u;

function isWordChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122);
  if (c >= 0xdc00 && c <= 0xdfff && i > 0) return WORD.test(text.slice(i - 1, i + 1));
  return WORD.test(String.fromCodePoint(text.codePointAt(i)!));
}

/** Q30.1: a term is folded exactly like the text it is matched against, runs of spaces cut to one. */
export function foldTerm(term: string): string {
  let out = '';
  let space = false;
  for (const ch of normalise(term).folded.text) {
    if (isSpaceLike(ch.charCodeAt(0))) space = out.length > 0;
    else {
      if (space) out += ' ';
      out += ch;
      space = false;
    }
  }
  return out;
}

interface Term {
  listId: string;
  term: string;
  /** Symbols the term spans once spaces are collapsed (its length in code units). */
  length: number;
  boundedStart: boolean;
  boundedEnd: boolean;
}

/**
 * Aho-Corasick over every list at once (Q30.1), as a complete DFA in one flat Int32Array
 * (`state * alphabet + symbol`), so a scan is one table load per character plus one per hit.
 *
 * Hits must start and end on word boundaries (a letter or digit on the outside breaks them), which
 * keeps "Scunthorpe", "classic", "Sussex", "therapist" clean. All hits are returned, overlapping
 * ones included ("piece of shit" yields that term and "shit"), ordered by where they end.
 */
export class KeywordAutomaton {
  private constructor(
    private readonly symbols: Uint16Array,
    private readonly alphabet: number,
    /** Next row offset (`state * alphabet`); `-offset - 1` when the next state has outputs. */
    private readonly delta: Int32Array,
    private readonly outStart: Int32Array,
    private readonly outTerms: Int32Array,
    private readonly terms: readonly Term[],
  ) {}

  get termCount(): number {
    return this.terms.length;
  }

  static compile(lists: readonly KeywordList[]): KeywordAutomaton {
    const symbols = new Uint16Array(65536);
    for (let c = 0; c < 128; c += 1) if (isSpaceLike(c)) symbols[c] = SPACE;
    let alphabet = 2;
    const terms: Term[] = [];
    const seen = new Set<string>();
    const children: Map<number, number>[] = [new Map()];
    const own: number[][] = [[]];
    for (const list of lists) {
      for (const raw of list.terms) {
        const term = foldTerm(raw);
        const key = `${list.id}\u0000${term}`;
        if (term.length === 0 || seen.has(key)) continue;
        seen.add(key);
        let state = 0;
        for (let i = 0; i < term.length; i += 1) {
          const c = term.charCodeAt(i);
          if (symbols[c] === 0) symbols[c] = alphabet++;
          const next = children[state]!.get(symbols[c]!);
          if (next !== undefined) state = next;
          else {
            children.push(new Map());
            own.push([]);
            children[state]!.set(symbols[c]!, children.length - 1);
            state = children.length - 1;
          }
        }
        own[state]!.push(terms.length);
        terms.push({
          listId: list.id,
          term,
          length: term.length,
          boundedStart: isWordChar(term, 0),
          boundedEnd: isWordChar(term, term.length - 1),
        });
      }
    }
    const states = children.length;
    const delta = new Int32Array(states * alphabet);
    const fail = new Int32Array(states);
    const order: number[] = [0];
    for (const [symbol, child] of children[0]!) {
      delta[symbol] = child;
      order.push(child);
    }
    for (let q = 1; q < order.length; q += 1) {
      const u = order[q]!;
      const base = u * alphabet;
      const failBase = fail[u]! * alphabet;
      for (let s = 1; s < alphabet; s += 1) delta[base + s] = delta[failBase + s]!;
      for (const [symbol, child] of children[u]!) {
        fail[child] = delta[failBase + symbol]!;
        delta[base + symbol] = child;
        order.push(child);
      }
    }
    // Outputs of a state: its own terms, then those of its failure chain (already complete, BFS order).
    const outputs: number[][] = new Array(states);
    for (const u of order) outputs[u] = u === 0 ? [] : [...own[u]!, ...outputs[fail[u]!]!];
    // Renumber in BFS order: the shallow states a scan visits most share the first cache lines.
    const rank = new Int32Array(states);
    order.forEach((u, r) => (rank[u] = r));
    const outStart = new Int32Array(states + 1);
    const flat: number[] = [];
    for (const u of order) {
      outStart[rank[u]!] = flat.length;
      flat.push(...outputs[u]!);
    }
    outStart[states] = flat.length;
    const table = new Int32Array(states * alphabet);
    for (const u of order) {
      const from = u * alphabet;
      const to = rank[u]! * alphabet;
      for (let s = 1; s < alphabet; s += 1) {
        const next = rank[delta[from + s]!]!;
        table[to + s] = outStart[next] === outStart[next + 1] ? next * alphabet : -(next * alphabet) - 1;
      }
    }
    return new KeywordAutomaton(symbols, alphabet, table, outStart, Int32Array.from(flat), terms);
  }

  /** Hits in `text`, a folded view's text. Linear in its length plus the hits. */
  scan(text: string, stats?: ScanStats): ViewHit[] {
    const n = text.length;
    const { symbols, alphabet, delta } = this;
    let hits: ViewHit[] | undefined;
    let row = 0;
    let steps = 0;
    let lastSpace = false;
    for (let i = 0; i < n; i += 1) {
      const symbol = symbols[text.charCodeAt(i)]!;
      if (symbol === 0) {
        row = 0;
        lastSpace = false;
        continue;
      }
      if (symbol === SPACE) {
        if (lastSpace) continue;
        lastSpace = true;
      } else lastSpace = false;
      steps += 1;
      const next = delta[row + symbol]!;
      if (next >= 0) {
        row = next;
        continue;
      }
      row = -next - 1;
      hits = this.collect(text, row / alphabet, i, hits ?? []);
    }
    if (stats !== undefined) {
      stats.steps += steps;
      stats.hits += hits?.length ?? 0;
    }
    return hits ?? [];
  }

  private collect(text: string, state: number, i: number, hits: ViewHit[]): ViewHit[] {
    const n = text.length;
    for (let o = this.outStart[state]!; o < this.outStart[state + 1]!; o += 1) {
      const term = this.terms[this.outTerms[o]!]!;
      const from = this.startOf(text, i, term.length);
      if (term.boundedStart && from > 0 && isWordChar(text, from - 1)) continue;
      if (term.boundedEnd && i + 1 < n && isWordChar(text, i + 1)) continue;
      hits.push({ listId: term.listId, term: term.term, from, to: i + 1 });
    }
    return hits;
  }

  /** Where a match of `length` symbols ending at `i` starts; a run of spaces counted as one symbol. */
  private startOf(text: string, i: number, length: number): number {
    let p = i;
    for (let left = length - 1; left > 0; left -= 1) {
      p -= 1;
      if (this.symbols[text.charCodeAt(p)] === SPACE)
        while (p > 0 && this.symbols[text.charCodeAt(p - 1)] === SPACE) p -= 1;
    }
    return p;
  }
}
