/**
 * Q21.3, Q21.4: the model scores a text chunk by chunk and the verdict takes the highest score, so a
 * 10,000-word reply costs linear time, one toxic sentence is not diluted by pages of harmless ones, and
 * a stream can score each chunk once as it completes.
 *
 * Chunks end after a sentence end (`.`, `!`, `?`, `…` or a newline followed by white space) once they
 * have MIN code units, or at the last white space before MAX. Where a chunk ends depends only on the text
 * up to one character past that end, so the streaming moderator and `evaluate` cut the same chunks
 * whatever the token boundaries were.
 */
export const CHUNK_MIN = 160;
export const CHUNK_MAX = 640;

/** `.`, `!`, `?`, `…`, a newline or `。`: compared as code units, so the sweep builds no strings. */
function isSentenceEnd(code: number): boolean {
  return code === 46 || code === 33 || code === 63 || code === 10 || code === 0x2026 || code === 0x3002;
}

/** White space as chunking and stream release points read it. */
export function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0x3000 || code === 0x2028;
}

/**
 * The next chunk end after `start` in `text`, or -1 when the text so far does not decide it yet.
 * `final` means no more text will come, so the rest is a chunk.
 */
export function nextChunkEnd(text: string, start: number, final: boolean): number {
  let lastSpace = -1;
  const limit = Math.min(text.length, start + CHUNK_MAX);
  for (let i = start; i < limit; i += 1) {
    const code = text.charCodeAt(i);
    if (isSpace(code) && i - start >= CHUNK_MIN / 2) lastSpace = i + 1;
    if (i + 1 - start >= CHUNK_MIN && isSentenceEnd(code) && i + 1 < text.length) {
      if (isSpace(text.charCodeAt(i + 1))) return i + 1;
    }
  }
  // Hard cut at the last white space (mid-word for a 640-character token); decided only once the
  // character after the limit is known, so a sentence end exactly at the limit cuts the same way later.
  if (limit === start + CHUNK_MAX && (limit < text.length || final)) return lastSpace > start ? lastSpace : limit;
  return final ? text.length : -1;
}

/** Every chunk `[start, end)` of a whole text. */
export function chunksOf(text: string): [number, number][] {
  const chunks: [number, number][] = [];
  let start = 0;
  while (start < text.length) {
    const end = nextChunkEnd(text, start, true);
    chunks.push([start, end]);
    start = end;
  }
  return chunks;
}
