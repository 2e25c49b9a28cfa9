import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController } from 'fastify';
import type { Logger } from 'pino';
import { serveAdminPage } from './admin/admin-page.assets.js';
import { AppModule } from './app.module.js';
import { corsOptions } from './common/cors-options.js';
import { NestPinoLogger, withRequestLogger } from './common/nest-pino.logger.js';
import { createLogger, echoRequestId, logRequest, requestId } from './common/request-logging.js';
import { keepEveryAuthorization } from './common/duplicate-authorization.js';
import { useJsonBodyParser } from './common/json-body-parser.js';
import { securityHeaders } from './common/security-headers.js';
import { refuseUnstorableInput } from './common/storable-input.js';
import { AppConfig } from './config/app-config.js';
import { setupApiDocs } from './docs/api-docs.setup.js';
import { observeRequest } from './metrics/metrics.js';

/** Profile edits are small; anything larger is a mistake or an attack. */
const BODY_LIMIT_BYTES = 64 * 1024;

export interface HttpTimeouts {
  /** Longest a client may take to send one whole request (headers and body); also bounds how long a slow client can hold up a shutdown. */
  requestMs: number;
  /** Longest a client may take to send the headers. */
  headersMs: number;
  /** How long an idle keep-alive connection stays open: longer than a load balancer's idle timeout (AWS ALB: 60 s), or it answers 502s. */
  keepAliveMs: number;
  /** How often Node looks for requests past those limits: the most a limit can be overrun by. */
  checkEveryMs: number;
}

export const HTTP_TIMEOUTS: HttpTimeouts = { requestMs: 30_000, headersMs: 10_000, keepAliveMs: 72_000, checkEveryMs: 1_000 };

/**
 * Fastify with the application's logger (request lines are written by Fastify's own request
 * logger, see logRequest); without one, as some tests build it, requests are not logged. Tests pass
 * shorter timeouts to watch them act; the server always uses HTTP_TIMEOUTS.
 */
export function createAdapter(logger?: Logger, timeouts: HttpTimeouts = HTTP_TIMEOUTS): FastifyAdapter {
  return new FastifyAdapter({
    // Fastify's own two lines per request are off: logRequest writes the one line the API promises.
    ...(logger && { loggerInstance: logger, logController: new LogController({ disableRequestLogging: true }) }),
    bodyLimit: BODY_LIMIT_BYTES,
    // Node reads these when the server is created (set afterwards, its defaults decide: a 60 s
    // header limit checked every 30 s), so they go to http.createServer through `http` as well.
    http: {
      requestTimeout: timeouts.requestMs,
      headersTimeout: timeouts.headersMs,
      keepAliveTimeout: timeouts.keepAliveMs,
      connectionsCheckingInterval: timeouts.checkEveryMs,
    },
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    // An idle socket (nothing sent at all) is dropped after as long as a whole request may take.
    connectionTimeout: timeouts.requestMs,
    routerOptions: { ignoreTrailingSlash: true },
    // While draining, a request that arrives on an open keep-alive connection is still served (with
    // `Connection: close`) rather than refused with a 503: no request that reached us fails.
    return503OnClosing: false,
    genReqId: requestId,
  });
}

/**
 * Builds the application for a validated configuration; main.ts, the local stack and the tests
 * share it. Tests pass their own adapter to watch the routes being registered, and may add routes
 * of their own to the root module (a route restricted by @Pools, which the API itself has none of).
 */
export async function createApp(
  config: AppConfig,
  givenAdapter?: FastifyAdapter,
  root: DynamicModule = AppModule.forRoot(config),
): Promise<NestFastifyApplication> {
  const logger = createLogger(config);
  const adapter = givenAdapter ?? createAdapter(logger);
  const fastify = adapter.getInstance();
  fastify.addHook('onRequest', echoRequestId);
  // Computed once: none of these headers depends on the request.
  const headers = securityHeaders(config);
  fastify.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
  fastify.addHook('onRequest', withRequestLogger);
  fastify.addHook('onResponse', logRequest);
  fastify.addHook('onRequest', keepEveryAuthorization);
  fastify.addHook('preValidation', refuseUnstorableInput);
  useJsonBodyParser(fastify);
  if (config.metrics) fastify.addHook('onResponse', observeRequest);
  // Closing the server only ends idle connections: a request still running when the drain starts
  // would leave its connection open (keep-alive) and the close waiting. Its answer closes it instead.
  let draining = false;
  fastify.addHook('preClose', (done) => {
    draining = true;
    done();
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (draining) reply.header('connection', 'close');
    done(null, payload);
  });
  const app = await NestFactory.create<NestFastifyApplication>(root, adapter, {
    bufferLogs: true,
    // Fastify's own JSON parser stays; Nest's extra parsers (form bodies) would let non-JSON requests in.
    bodyParser: false,
  });
  app.useLogger(new NestPinoLogger(logger));
  if (config.corsOrigins.length > 0) app.enableCors(corsOptions(config.corsOrigins));
  await serveAdminPage(app);
  setupApiDocs(app, config);
  return app;
}

export async function startApp(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  return app;
}
