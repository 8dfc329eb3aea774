export * from './claims';
export * from './key-ring';
export * from './token-issuer';
export * from './token-verifier';
