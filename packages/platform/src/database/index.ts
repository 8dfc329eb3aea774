export * from './data-source';
export * from './naming.strategy';
export * from './cli';
export * from './returning';
export * from './sql';
