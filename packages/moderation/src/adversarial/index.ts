export { obfuscate, unmark } from './obfuscate';
export type { Obfuscation } from './obfuscate';
export { ADVERSARIAL_CASES } from './cases';
export type { AdversarialCase } from './cases';
