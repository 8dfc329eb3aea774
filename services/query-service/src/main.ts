import { startTelemetry } from '@casebook/telemetry';

// Tracing patches http, fastify, pg and ioredis as they load, so it starts before the app is imported.
startTelemetry('query-service');
void import('./serve').then(({ serve }) => serve());
