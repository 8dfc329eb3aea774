export * from './types';
export * from './gcra';
export * from './scripts';
export * from './planner';
export * from './memory-backend';
export * from './redis-backend';
export * from './rate-limiter';
