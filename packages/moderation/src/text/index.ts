export { normalise } from './normalise';
export type { NormalisedText, DecodedSpan } from './normalise';
export { toOriginal, identityView, ViewBuilder } from './view';
export type { TextView } from './view';
