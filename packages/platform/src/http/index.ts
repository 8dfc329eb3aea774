export * from './public.decorator';
export * from './pagination';
