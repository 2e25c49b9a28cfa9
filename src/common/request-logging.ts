import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { pino, type Logger, type LoggerOptions } from 'pino';
import { AppConfig } from '../config/app-config.js';

export const REQUEST_ID_HEADER = 'x-request-id';

/** A caller's own request id is kept (for tracing across services) only when it is short and plain. */
const CALLER_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Keys that may hold a secret, wherever a log call could pass them. */
const SECRET_KEYS = ['password', 'token', 'accessToken', 'idToken', 'refreshToken', 'AccessToken'];

/** The path only: a query string may carry a secret (an OAuth `code`, a misplaced `access_token`). */
function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** Fastify's `genReqId`: the id of the request's log line, echoed by {@link echoRequestId}. */
export function requestId(request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && CALLER_REQUEST_ID.test(given) ? given : randomUUID();
}

/** Fastify `onRequest` hook: every answer, errors included, carries the id its log line has. */
export function echoRequestId(request: { id: string }, reply: { header(name: string, value: string): unknown }, done: () => void): void {
  reply.header(REQUEST_ID_HEADER, request.id);
  done();
}

/**
 * The one pino logger of the application: Fastify's own (so request lines are written without any
 * middleware) and Nest's (see NestPinoLogger). Headers, bodies and query strings are never logged, so
 * no token, Authorization header or password can be; redaction is the second line of defence, with
 * exact paths only (wildcard paths make pino walk every object it logs).
 */
function loggerOptions(config: AppConfig): LoggerOptions {
  return {
    level: config.logLevel,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'headers.authorization',
        'headers.cookie',
        ...SECRET_KEYS.flatMap((key) => [key, `body.${key}`, `req.body.${key}`]),
      ],
      censor: '[redacted]',
    },
    ...(config.prettyLogs
      ? {
          transport: {
            target: 'pino-pretty',
            // The message already says method, path and status.
            options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,method,path,status', singleLine: true },
          },
        }
      : {}),
  };
}

/**
 * The logger, writing to stdout without blocking: lines written while a write is in flight go out
 * together in the next one (under load, one write for many lines instead of one each), and a slow
 * reader of stdout (a container's log driver) never holds up a request. What is still buffered is
 * written synchronously when the process exits.
 */
export function createLogger(config: AppConfig): Logger {
  const options = loggerOptions(config);
  return options.transport ? pino(options) : pino(options, pino.destination({ dest: 1, sync: false }));
}

/**
 * Fastify `onResponse` hook: one line per answered request (request id, method, path, status,
 * duration in ms). Fastify's request logger already carries the request id.
 */
export function logRequest(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  const status = reply.statusCode;
  const path = pathOf(request.url);
  const line = { method: request.method, path, status, responseTime: Math.round(reply.elapsedTime * 10) / 10 };
  const message = `${request.method} ${path} ${status}`;
  if (status >= 500) request.log.error(line, message);
  else request.log.info(line, message);
  done();
}
