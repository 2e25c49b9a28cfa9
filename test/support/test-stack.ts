import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedDatabase } from '../../dev/local/embedded-database.js';
import { freePort, startLocalPool } from '@backend/local-cognito';
import { webCallbackUrls } from '../../dev/local/local-stack.js';
import { publishStack } from './stack-env.js';

type Stop = () => Promise<void>;
const stops: Stop[] = [];

/**
 * Starts the real parts once for the whole run, on free loopback ports: PostgreSQL (TEST_DATABASE_URL
 * when given, otherwise an embedded one in a temporary folder) and the local Cognito pool as `npm start`
 * runs it (the emulator behind its front), seeded the same way (two pools: default and staff). The web client's extra callbacks are
 * those of a dev server on a free port (LOCAL_CALLBACK_URLS), not 5173, which may be taken.
 */
export async function startTestStack(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'backend-test-'));
  chmodSync(dir, 0o755); // as root, PostgreSQL runs as another user that must reach its folder
  stops.push(() => Promise.resolve(rmSync(dir, { recursive: true, force: true }))); // runs last: after both servers stopped

  let adminDatabaseUrl = process.env.TEST_DATABASE_URL;
  if (!adminDatabaseUrl) {
    const database = await startEmbeddedDatabase(join(dir, 'postgres'), await freePort());
    stops.push(database.stop);
    adminDatabaseUrl = database.url;
  }

  const devServerPort = await freePort();
  const devOrigins = [`http://localhost:${devServerPort}`, `http://127.0.0.1:${devServerPort}`];
  const callbackUrls = webCallbackUrls(8000, {
    LOCAL_CALLBACK_URLS: devOrigins.flatMap((origin) => [`${origin}/`, `${origin}/callback`]).join(','),
  });
  const pool = await startLocalPool({ dir: join(dir, 'cognito'), port: await freePort(), callbackUrls });
  stops.push(pool.stop);
  const staff = pool.pools.staff;

  publishStack({
    adminDatabaseUrl,
    emulatorEndpoint: pool.endpoint,
    region: pool.region,
    userPoolId: pool.userPoolId,
    backendClientId: pool.backendClientId,
    webClientId: pool.webClientId,
    webRotatingClientId: pool.webRotatingClientId,
    serviceClientId: pool.serviceClientId,
    serviceClientSecret: pool.serviceClientSecret,
    staff: {
      userPoolId: staff.userPoolId,
      backendClientId: staff.backendClientId,
      webClientId: staff.webClientId,
      webRotatingClientId: staff.webRotatingClientId,
      serviceClientId: staff.serviceClientId,
      serviceClientSecret: staff.serviceClientSecret,
    },
    devServerPort,
  });
}

export async function stopTestStack(): Promise<void> {
  for (const stop of stops.reverse()) await stop();
}
