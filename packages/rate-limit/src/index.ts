// Public surface of @casebook/rate-limit: the limiter core (usable without Nest), HTTP helpers, the Nest module.
export * from './config';
export * from './core';
export * from './http';
export * from './nest';
