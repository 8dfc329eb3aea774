export * from './rate-limit.decorator';
export * from './rate-limit.guard';
export * from './rate-limit.module';
export * from './tokens';
