import type { INestApplicationContext } from '@nestjs/common';
import type { Logger } from 'pino';

/**
 * On SIGINT/SIGTERM: stop taking work, let Nest run every shutdown hook (HTTP drain, workers,
 * connections), and exit 0; exit 1 if that takes longer than the budget.
 */
export function installShutdown(app: INestApplicationContext, logger: Logger, timeoutMs: number): void {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown took too long, exiting');
      process.exit(1);
    }, timeoutMs);
    force.unref();
    app
      .close()
      .then(() => {
        logger.info('stopped');
        logger.flush();
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
