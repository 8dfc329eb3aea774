import type { Span } from '../types';

/**
 * A transformed copy of the original text that remembers where every one of its code units came from.
 * Detectors read a view; `toOriginal` turns what they found back into original offsets.
 */
export interface TextView {
  readonly text: string;
  /** `start[i]`, `end[i]`: the original `[start, end)` that produced code unit `i` of `text`. */
  readonly start: Int32Array;
  readonly end: Int32Array;
}

/** The original span covered by view code units `[from, to)` (`to > from`). */
export function toOriginal(view: TextView, from: number, to: number): Span {
  return { start: view.start[from]!, end: view.end[to - 1]! };
}

/**
 * A view whose code unit `i` came from original `[offset + i, offset + i + 1)` (ASCII text, or text
 * changed one code unit for one). The offset arrays are made only if someone reads them; `slice`
 * needs none.
 */
export class IdentityView implements TextView {
  private starts: Int32Array | undefined;
  private ends: Int32Array | undefined;

  constructor(
    readonly text: string,
    private readonly offset = 0,
  ) {}

  get start(): Int32Array {
    if (this.starts === undefined) {
      this.starts = new Int32Array(this.text.length);
      for (let i = 0; i < this.starts.length; i += 1) this.starts[i] = this.offset + i;
    }
    return this.starts;
  }

  get end(): Int32Array {
    if (this.ends === undefined) {
      this.ends = new Int32Array(this.text.length);
      for (let i = 0; i < this.ends.length; i += 1) this.ends[i] = this.offset + i + 1;
    }
    return this.ends;
  }

  /** The code units that came from original `[start, end)`. */
  slice(start: number, end: number): string {
    return start <= this.offset && end - this.offset >= this.text.length
      ? this.text
      : this.text.slice(Math.max(0, start - this.offset), Math.max(0, end - this.offset));
  }
}

/**
 * UTF-16 code units to a string in one native call; Buffer's utf16le keeps lone surrogates as they
 * are (typed arrays are little-endian on every platform Node supports).
 */
export function codesToString(codes: Uint16Array, length: number): string {
  return Buffer.from(codes.buffer, codes.byteOffset, length * 2).toString('utf16le');
}

// Every typed array over 64 bytes costs an off-heap allocation (~3 µs under load); short results
// share a slab instead. A kept result keeps its slab (64 KB) alive: the price of ≤10 µs per call.
const SLAB = 16384;
const POOLED = 2048;
let slab = new Int32Array(SLAB);
let slabUsed = 0;

/** A copy of `source[0, length)` in a fresh (pooled) Int32Array. */
export function copyInt32(source: Int32Array, length: number): Int32Array {
  if (length > POOLED) return source.slice(0, length);
  if (slabUsed + length > SLAB) {
    slab = new Int32Array(SLAB);
    slabUsed = 0;
  }
  const out = slab.subarray(slabUsed, slabUsed + length);
  slabUsed += length;
  out.set(source.subarray(0, length));
  return out;
}

/**
 * Builds a view code unit by code unit. `push(s, from, to)` appends the code units of `s`, each mapped
 * to the original `[from, to)`. Amortised O(1) per code unit; code units go into a typed array so
 * `build` makes one string instead of joining many small ones.
 */
export class ViewBuilder {
  private length = 0;
  private codes: Uint16Array;
  private starts: Int32Array;
  private ends: Int32Array;

  constructor(capacity = 64) {
    const size = Math.max(16, capacity);
    this.codes = new Uint16Array(size);
    this.starts = new Int32Array(size);
    this.ends = new Int32Array(size);
  }

  get size(): number {
    return this.length;
  }

  push(s: string, from: number, to: number): void {
    const n = s.length;
    if (n === 0) return;
    this.reserve(n);
    const at = this.length;
    for (let i = 0; i < n; i += 1) {
      this.codes[at + i] = s.charCodeAt(i);
      this.starts[at + i] = from;
      this.ends[at + i] = to;
    }
    this.length = at + n;
  }

  /** One code unit, without making a string for it. */
  pushCode(code: number, from: number, to: number): void {
    this.reserve(1);
    const at = this.length;
    this.codes[at] = code;
    this.starts[at] = from;
    this.ends[at] = to;
    this.length = at + 1;
  }

  build(): TextView {
    return {
      text: codesToString(this.codes, this.length),
      start: copyInt32(this.starts, this.length),
      end: copyInt32(this.ends, this.length),
    };
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.starts.length) return;
    let capacity = this.starts.length * 2;
    while (capacity < this.length + extra) capacity *= 2;
    const codes = new Uint16Array(capacity);
    const starts = new Int32Array(capacity);
    const ends = new Int32Array(capacity);
    codes.set(this.codes.subarray(0, this.length));
    starts.set(this.starts.subarray(0, this.length));
    ends.set(this.ends.subarray(0, this.length));
    this.codes = codes;
    this.starts = starts;
    this.ends = ends;
  }
}
