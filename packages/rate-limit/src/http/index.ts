export * from './client-ip';
export * from './headers';
