import { AsyncLocalStorage } from 'node:async_hooks';
import type { LoggerService } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

/** The logger of the request being served (Fastify's, which carries its `reqId`). */
const requestLoggers = new AsyncLocalStorage<Logger>();

/** Fastify `onRequest` hook: what the request's handlers log through Nest carries the request's id. */
export function withRequestLogger(request: FastifyRequest, _reply: FastifyReply, done: () => void): void {
  requestLoggers.run(request.log as Logger, done);
}

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** Nest's exception handlers call `error(message, stack)`: the stack is then the only extra argument. */
const STACK = /\n\s*at /;

/**
 * Nest's own logs (start-up, `new Logger(...)` in services) through the application's pino logger,
 * as JSON lines with a `context` field: the same shape as the request lines.
 */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.logger.isLevelEnabled(level)) return;
    const logger = requestLoggers.getStore() ?? this.logger;
    const fields: Record<string, unknown> = {};
    // Nest passes the context last.
    if (params.length > 0) fields.context = params[params.length - 1];
    const extra = params.slice(0, -1);
    if (message instanceof Error) {
      fields.err = message;
      logger[level](fields, message.message);
    } else if (message !== null && typeof message === 'object') {
      logger[level]({ ...fields, ...message });
    } else if (level === 'error' && extra.length === 1 && typeof extra[0] === 'string' && STACK.test(extra[0])) {
      fields.err = { message: String(message), stack: extra[0] };
      logger[level](fields, String(message));
    } else {
      // As Nest's console logger: extra arguments only fill %s-style placeholders.
      logger[level](fields, String(message), ...extra);
    }
  }
}
