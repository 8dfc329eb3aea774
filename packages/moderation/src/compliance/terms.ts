import { createHmac } from 'node:crypto';
import { normalise } from '../text';

/**
 * Q25.2: "every blocked response containing term X in the last 90 days" without keeping raw text. A
 * stored verdict keeps the keyed digests of the words of its folded text (lower case, leet and
 * look-alikes undone), never the words; a query digests its term the same way and looks for the
 * digest. Without the key the digests cannot be tested against a dictionary; rotating the key makes
 * older rows unsearchable by design (retention).
 */
export function termDigests(key: string | Buffer, text: string): string[] {
  const digests = new Set<string>();
  for (const word of wordsOf(normalise(text).folded.text)) digests.add(digest(key, word));
  return [...digests].sort();
}

/** The digests a query for `term` looks for: one per word of the term (a phrase matches all of them). */
export function termQuery(key: string | Buffer, term: string): string[] {
  return termDigests(key, term);
}

function digest(key: string | Buffer, word: string): string {
  return createHmac('sha256', key).update(word).digest('base64url').slice(0, 22);
}

function wordsOf(folded: string): string[] {
  return folded.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
}
