import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCognitoEmulator } from '../../dev/local/cognito-emulator.js';
import { startEmbeddedDatabase } from '../../dev/local/embedded-database.js';
import { seedLocalPool } from '../../dev/local/local-pool.js';
import { freePort } from '../../dev/local/free-port.js';
import { publishStack } from './stack-env.js';

type Stop = () => Promise<void>;
const stops: Stop[] = [];

/**
 * Starts the real parts once for the whole run, on free loopback ports: PostgreSQL (TEST_DATABASE_URL
 * when given, otherwise an embedded one in a temporary folder) and the Cognito emulator with a seeded pool.
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

  const emulator = await startCognitoEmulator(join(dir, 'cognito'), await freePort());
  stops.push(emulator.stop);
  const pool = await seedLocalPool(emulator.endpoint, ['http://localhost:8000/admin']);

  publishStack({
    adminDatabaseUrl,
    emulatorEndpoint: emulator.endpoint,
    region: pool.region,
    userPoolId: pool.userPoolId,
    backendClientId: pool.backendClientId,
    webClientId: pool.webClientId,
  });
}

export async function stopTestStack(): Promise<void> {
  for (const stop of stops.reverse()) await stop();
}
