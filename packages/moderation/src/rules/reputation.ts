/**
 * Q31.4: how a user's reputation moves the category thresholds. Reputation is 0..1 and 0.5 when
 * unknown. Flagged users (below `flaggedBelow`) have both thresholds multiplied by `flaggedFactor`,
 * so a score that would pass for others already goes to review or block. Trusted users (above
 * `trustedAbove`) have both thresholds moved `trustedRelief` of the way towards 1: lighter, but a
 * threshold never reaches 1, so a confident enough score still blocks a trusted user. Both maps are
 * monotone, so `review <= block` holds after adjustment. Everyone in between is unchanged.
 */
export const REPUTATION_POLICY = Object.freeze({
  neutral: 0.5,
  flaggedBelow: 0.3,
  flaggedFactor: 0.8,
  trustedAbove: 0.8,
  trustedRelief: 0.25,
});

export interface Thresholds {
  review?: number;
  block?: number;
}

export function adjustThresholds(thresholds: Thresholds, reputation: number | undefined): Thresholds {
  const r = reputation ?? REPUTATION_POLICY.neutral;
  const adjust = (t: number | undefined): number | undefined => {
    if (t === undefined) return undefined;
    if (r < REPUTATION_POLICY.flaggedBelow) return t * REPUTATION_POLICY.flaggedFactor;
    if (r > REPUTATION_POLICY.trustedAbove) return t + (1 - t) * REPUTATION_POLICY.trustedRelief;
    return t;
  };
  const out: Thresholds = {};
  const review = adjust(thresholds.review);
  const block = adjust(thresholds.block);
  if (review !== undefined) out.review = review;
  if (block !== undefined) out.block = block;
  return out;
}
