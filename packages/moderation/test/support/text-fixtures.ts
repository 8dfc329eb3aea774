import type { TextView } from '../../src/text';

/** Q30.4: look-alikes per ASCII letter (fullwidth, mathematical bold, Cyrillic or Greek). */
export const LOOKALIKES: Record<string, readonly string[]> = {
  a: ['ａ', '𝐚', 'а', 'α'],
  b: ['ｂ', '𝐛'],
  c: ['ｃ', '𝐜', 'с'],
  e: ['ｅ', '𝐞', 'е'],
  f: ['ｆ', '𝐟'],
  h: ['ｈ', '𝐡', 'һ'],
  i: ['ｉ', '𝐢', 'і', 'ι'],
  k: ['ｋ', '𝐤'],
  o: ['ｏ', '𝐨', 'о', 'ο'],
  p: ['ｐ', '𝐩', 'р', 'ρ'],
  s: ['ｓ', '𝐬', 'ѕ'],
  t: ['ｔ', '𝐭'],
  u: ['ｕ', '𝐮', 'υ'],
  x: ['ｘ', '𝐱', 'х'],
  y: ['ｙ', '𝐲', 'у'],
};

export const INVISIBLES = [
  '\u200b',
  '\u200c',
  '\u200d',
  '\u2060',
  '\ufeff',
  '\u00ad',
  '\u202e',
  '\u2066',
  '\ufe0f',
  '\u{e0041}',
];

/** Where the view's `[from, to)` came from, as text of the original. */
export function originalSlice(original: string, view: TextView, from: number, to: number): string {
  return original.slice(view.start[from], view.end[to - 1]);
}

/** Every position lies inside the original and never goes backwards. */
export function isMonotoneWithin(view: TextView, length: number): boolean {
  for (let i = 0; i < view.text.length; i += 1) {
    const start = view.start[i]!;
    const end = view.end[i]!;
    if (start < 0 || end > length || start >= end) return false;
    if (i > 0 && (start < view.start[i - 1]! || end < view.end[i - 1]!)) return false;
  }
  return view.start.length === view.text.length && view.end.length === view.text.length;
}
