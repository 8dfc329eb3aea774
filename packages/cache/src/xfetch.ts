/**
 * XFetch (Vattani, Chierichetti, Lowenstein, "Optimal Probabilistic Cache Stampede Prevention", VLDB 2015):
 * refresh early with a probability that rises as expiry approaches, scaled by how long a recompute takes
 * (`costMs`), so a hot key is recomputed by one caller before it expires instead of by many after.
 */
export function shouldRefreshEarly(args: {
  now: number;
  expiresAt: number;
  costMs: number;
  beta: number;
  random: () => number;
}): boolean {
  const { now, expiresAt, costMs, beta, random } = args;
  if (costMs <= 0 || beta <= 0) return false;
  // -ln(U) for U in (0, 1] is an exponential variable: mostly small, occasionally large.
  const u = Math.max(random(), Number.MIN_VALUE);
  return now - costMs * beta * Math.log(u) >= expiresAt;
}
