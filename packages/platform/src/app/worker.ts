import type { DynamicModule, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Logger } from 'pino';
import type { BaseConfig } from '../config';
import { PinoNestLogger } from '../logging';
import { installShutdown } from './shutdown';
import { LOGGER, SERVICE_NAME } from './tokens';

/** Boots a worker: the same modules as the service, no HTTP server. */
export async function runWorker<C extends BaseConfig>({
  config,
  module,
}: {
  config: C;
  module: (config: C) => DynamicModule;
}): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(module(config), { bufferLogs: true });
  const logger = app.get<Logger>(LOGGER);
  app.useLogger(new PinoNestLogger(logger));
  await app.init();
  installShutdown(app, logger, config.SHUTDOWN_TIMEOUT_MS);
  logger.info(`${app.get<string>(SERVICE_NAME)} ready`);
  return app;
}
