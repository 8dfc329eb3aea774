export * from './tokens';
export * from './platform.module';
export * from './bootstrap';
export * from './worker';
