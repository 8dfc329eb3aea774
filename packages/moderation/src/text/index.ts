export { normalise, normaliseWithoutShortcuts } from './normalise';
export type { NormalisedText, DecodedSpan } from './normalise';
export { toOriginal, IdentityView, ViewBuilder } from './view';
export type { TextView } from './view';
