/** One spelling per address: Unicode-normalised, trimmed, lower-cased (the unique index relies on it). */
export function normaliseEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
}
