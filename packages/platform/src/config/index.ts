export * from './config';
export * from './base.schema';
