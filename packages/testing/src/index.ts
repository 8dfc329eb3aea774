export * from './app';
export * from './database';
export * from './environment';
export * from './factory';
export * from './log-capture';
export * from './redis';
export * from './wait-for';
export * from './loopback';
