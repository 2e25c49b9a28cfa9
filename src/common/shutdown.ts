import { Logger } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * On SIGTERM or SIGINT: stop accepting connections, let in-flight requests finish (Nest closes the
 * HTTP server before the database pool), run `after`, then exit 0; exit 1 if that fails, takes longer
 * than `timeoutMs`, or a second signal comes. Replaces Nest's enableShutdownHooks(), which re-raises
 * the signal and so never exits 0.
 */
export function closeOnSignals(app: INestApplication, timeoutMs: number, after: () => Promise<void> = () => Promise.resolve()): void {
  const logger = new Logger('Shutdown');
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      logger.warn(`${signal} received again: exiting without waiting`);
      process.exit(1);
    }
    closing = true;
    logger.log(`${signal} received: no new connections, finishing the requests in flight`);
    setTimeout(() => {
      logger.error(`Requests still running after ${timeoutMs / 1000}s; exiting anyway`);
      process.exit(1);
    }, timeoutMs).unref();
    app
      .close()
      .then(after)
      .then(
        () => {
          logger.log('Closed the HTTP server and the database pool; exiting');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error(`Shutdown failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
          process.exit(1);
        },
      );
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
}
