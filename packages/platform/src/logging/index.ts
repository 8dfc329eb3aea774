export * from './logger';
export type { DestinationStream, Logger } from 'pino';
