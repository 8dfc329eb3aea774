export { detectInjection, mayContainInjection } from './detect';
export type { InjectionHit } from './detect';
