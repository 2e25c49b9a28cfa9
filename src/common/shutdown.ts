import { Logger } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { Draining } from './draining.js';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

export interface ShutdownTimes {
  /** How long readiness fails while requests are still served, before the server stops accepting connections. */
  drainMs: number;
  /** Longest wait for the requests in flight once it has stopped accepting them. */
  timeoutMs: number;
}

/**
 * On SIGTERM or SIGINT: fail readiness and keep serving for `drainMs` (a load balancer takes the
 * instance out meanwhile), then stop accepting connections, let in-flight requests finish (Nest
 * closes the HTTP server before the database pool), run `after`, then exit 0; exit 1 if that fails,
 * takes longer than `timeoutMs`, or a second signal comes. Replaces Nest's enableShutdownHooks(),
 * which re-raises the signal and so never exits 0.
 */
export function closeOnSignals(
  app: INestApplication,
  { drainMs, timeoutMs }: ShutdownTimes,
  after: () => Promise<void> = () => Promise.resolve(),
): void {
  const logger = new Logger('Shutdown');
  let closing = false;
  const close = () => {
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
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      logger.warn(`${signal} received again: exiting without waiting`);
      process.exit(1);
    }
    closing = true;
    app.get(Draining, { strict: false }).active = true;
    if (drainMs > 0) {
      logger.log(`${signal} received: not ready, still serving for ${drainMs / 1000}s while load balancers take this instance out`);
      setTimeout(() => {
        logger.log('Drained: no new connections, finishing the requests in flight');
        close();
      }, drainMs);
    } else {
      logger.log(`${signal} received: no new connections, finishing the requests in flight`);
      close();
    }
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
}
