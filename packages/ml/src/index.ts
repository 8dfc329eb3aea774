export { seededRandom, shuffleInPlace, shuffled } from './random';
export { LazyAdam } from './lazy-adam';
export type { LazyAdamOptions } from './lazy-adam';
