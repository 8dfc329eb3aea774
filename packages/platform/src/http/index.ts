export * from './audit-exempt.decorator';
export * from './public.decorator';
export * from './pagination';
export * from './security-headers';
export * from './http-reply';
export * from './event-stream';
