export * from './options';
export * from './env';
