import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { echoRequestId, requestId } from './common/request-logging.js';
import { AppConfig } from './config/app-config.js';

/** Profile edits are small; anything larger is a mistake or an attack. */
const BODY_LIMIT_BYTES = 64 * 1024;
/** Longest a client may take to send one whole request; also bounds how long a slow client can hold up a shutdown. */
const REQUEST_TIMEOUT_MS = 30_000;

/** Builds the application for a validated configuration; main.ts, the local stack and the tests share it. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    requestTimeout: REQUEST_TIMEOUT_MS,
    routerOptions: { ignoreTrailingSlash: true },
    // While draining, a request that arrives on an open keep-alive connection is still served (with
    // `Connection: close`) rather than refused with a 503: no request that reached us fails.
    return503OnClosing: false,
    genReqId: requestId,
  });
  const fastify = adapter.getInstance();
  fastify.addHook('onRequest', echoRequestId);
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
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  return app;
}

export async function startApp(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  return app;
}
