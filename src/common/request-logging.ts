import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import { AppConfig } from '../config/app-config.js';

export const REQUEST_ID_HEADER = 'x-request-id';

/** A caller's own request id is kept (for tracing across services) only when it is short and plain. */
const CALLER_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The path only: a query string may carry a secret (an OAuth `code`, a misplaced `access_token`). */
function pathOf(request: IncomingMessage): string {
  const url = request.url ?? '';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/**
 * Fastify's `genReqId`: @fastify/middie hands Fastify's request id to pino-http, so this is where
 * the id of the log line is chosen. Echoed by {@link echoRequestId}.
 */
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
 * One JSON line per request (request id, method, path, status, duration) through pino-http. Headers,
 * bodies and query strings are never logged, so no token, Authorization header or password can be.
 */
export function requestLogging(config: AppConfig): Params {
  return {
    // nestjs-pino's default, "{/*splat}", becomes "/{/*splat}" in @fastify/middie 9.3, which matches
    // no request at all: not one line would be logged.
    forRoutes: [{ path: '/{*splat}', method: RequestMethod.ALL }],
    pinoHttp: {
      level: config.logLevel,
      // `[redacted]` in case a future serializer or log call passes a request or its headers anyway.
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'headers.authorization',
          'headers.cookie',
          ...['password', 'token', 'accessToken', 'idToken', 'refreshToken', 'AccessToken'].flatMap((key) => [key, `*.${key}`]),
        ],
        censor: '[redacted]',
      },
      // Logs made while serving a request carry its id only, not the request (with its headers).
      quietReqLogger: true,
      quietResLogger: true,
      customLogLevel: (_request, response, error) => (error || response.statusCode >= 500 ? 'error' : 'info'),
      customSuccessMessage: (request, response) => `${request.method} ${pathOf(request)} ${response.statusCode}`,
      customErrorMessage: (request, response) => `${request.method} ${pathOf(request)} ${response.statusCode}`,
      customSuccessObject: (request, response, value: { responseTime?: number }) => ({
        method: request.method,
        path: pathOf(request),
        status: response.statusCode,
        responseTime: value.responseTime,
      }),
      // pino-http invents an Error with a stack for every 5xx; the error itself was logged where it was handled.
      customErrorObject: (request, response, _error, value: { responseTime?: number }) => ({
        method: request.method,
        path: pathOf(request),
        status: response.statusCode,
        responseTime: value.responseTime,
      }),
      ...(config.prettyLogs
        ? {
            transport: {
              target: 'pino-pretty',
              // The message already says method, path and status.
              options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,method,path,status', singleLine: true },
            },
          }
        : {}),
    },
  };
}
