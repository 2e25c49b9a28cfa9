import helmet from '@fastify/helmet';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { corsOptions } from './common/cors-options.js';
import { securityHeaders } from './common/security-headers.js';
import { AppConfig } from './config/app-config.js';
import { setupApiDocs } from './docs/api-docs.setup.js';

/** Profile edits are small; anything larger is a mistake or an attack. */
const BODY_LIMIT_BYTES = 64 * 1024;

export function createAdapter(): FastifyAdapter {
  return new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES, routerOptions: { ignoreTrailingSlash: true } });
}

/**
 * Builds the application for a validated configuration; main.ts, the local stack and the tests
 * share it. Tests pass their own adapter to watch the routes being registered.
 */
export async function createApp(config: AppConfig, adapter: FastifyAdapter = createAdapter()): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    bufferLogs: true,
    logger: config.logLevel === 'silent' ? false : undefined,
    // Fastify's own JSON parser stays; Nest's extra parsers (form bodies) would let non-JSON requests in.
    bodyParser: false,
  });
  app.enableShutdownHooks();
  await app.register(helmet, securityHeaders(config));
  if (config.corsOrigins.length > 0) app.enableCors(corsOptions(config.corsOrigins));
  setupApiDocs(app);
  return app;
}

export async function startApp(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  return app;
}
