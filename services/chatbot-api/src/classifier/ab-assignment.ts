import { createHash } from 'node:crypto';

export interface SplitShare {
  version: string;
  /** Whole percent of users, 0–100; the shares of a split add up to 100. */
  percent: number;
}

/**
 * Parses `intent-v1=10,intent-v2=90`. Order matters: buckets are handed out in it, so raising the last
 * version's share from 10 to 50 only moves users towards it; nobody already on it flips back.
 */
export function parseSplit(spec: string): SplitShare[] {
  const shares = spec
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const match = /^(intent-v\d+)\s*=\s*(\d{1,3})$/.exec(part);
      if (!match) throw new Error(`'${part}' is not <version>=<percent>, e.g. intent-v2=90`);
      return { version: match[1]!, percent: Number(match[2]) };
    });
  const total = shares.reduce((sum, share) => sum + share.percent, 0);
  if (shares.length === 0 || total !== 100) throw new Error(`the shares of '${spec}' add up to ${total}, not 100`);
  if (new Set(shares.map((share) => share.version)).size !== shares.length) {
    throw new Error(`'${spec}' names a version twice`);
  }
  return shares;
}

/**
 * Q7.3: a user's bucket, 0–99, from a hash of the experiment salt and the user id: the same user lands in
 * the same bucket on every instance and every request, with no table and no Redis. A new salt reshuffles
 * users for a new experiment, so one experiment's unlucky users are not always the next one's.
 */
export function bucketOf(subject: string, salt: string): number {
  const digest = createHash('sha256').update(salt).update('\0').update(subject).digest();
  return digest.readUInt32BE(0) % 100;
}

/** The version whose cumulative share covers the bucket. */
export function versionForBucket(bucket: number, split: readonly SplitShare[]): string {
  let upper = 0;
  for (const share of split) {
    upper += share.percent;
    if (bucket < upper) return share.version;
  }
  return split[split.length - 1]!.version;
}
