import type { Type } from '@nestjs/common';
import type { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { createAdapter, createApp } from '../../src/app.js';
import { AppModule } from '../../src/app.module.js';
import { AppConfig } from '../../src/config/app-config.js';
import { loadConfig } from '../../src/config/load-config.js';
import { runMigrations } from '../../src/database/migrate.js';
import { testStack } from './stack-env.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface TestApp {
  url: string;
  app: NestFastifyApplication;
  config: AppConfig;
  db: TestDatabase;
  close(): Promise<void>;
}

/** The environment of an API in front of the emulator's pool; tests override what they need. */
export function emulatorEnv(): Record<string, string> {
  const stack = testStack();
  return {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    COGNITO_ENDPOINT: stack.emulatorEndpoint,
    COGNITO_REGION: stack.region,
    COGNITO_USER_POOL_ID: stack.userPoolId,
    COGNITO_CLIENT_IDS: `${stack.backendClientId},${stack.webClientId},${stack.webRotatingClientId},${stack.serviceClientId}`,
  };
}

/** The environment that adds the local pool `staff` (sam) to emulatorEnv's: an API accepting two pools. */
export function staffPoolEnv(): Record<string, string> {
  const stack = testStack();
  const { staff } = stack;
  return {
    COGNITO_POOLS: 'staff',
    COGNITO_STAFF_ENDPOINT: stack.emulatorEndpoint,
    COGNITO_STAFF_REGION: stack.region,
    COGNITO_STAFF_USER_POOL_ID: staff.userPoolId,
    COGNITO_STAFF_CLIENT_IDS: `${staff.backendClientId},${staff.webClientId},${staff.webRotatingClientId},${staff.serviceClientId}`,
  };
}

/**
 * Starts the real server (migrated database, real HTTP on a free loopback port). An `adapter` of
 * the test's own lets it watch the server's Fastify instance from the start (see recordRoutes);
 * `controllers` of its own are added to the application's routes.
 */
export async function startTestApp(
  options: { env?: Record<string, string>; db?: TestDatabase; adapter?: FastifyAdapter; controllers?: Type[] } = {},
): Promise<TestApp> {
  const db = options.db ?? (await createTestDatabase());
  const config = loadConfig({ ...emulatorEnv(), DATABASE_URL: db.url, ...options.env });
  await runMigrations(config.databaseUrl);
  const root = AppModule.forRoot(config);
  const app = await createApp(config, options.adapter ?? createAdapter(), {
    ...root,
    controllers: [...(root.controllers ?? []), ...(options.controllers ?? [])],
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    url,
    app,
    config,
    db,
    close: async () => {
      await app.close();
      if (!options.db) await db.drop();
    },
  };
}
