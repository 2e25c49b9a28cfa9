// Regenerates the compose stack's pool (docker/cognito/db/*.json) and its stack file
// (docker/local-stack.json): `npx tsx scripts/compose-pool.ts`. The emulator itself writes the
// files, seeded as `npm start` seeds its pool; only its random ids, subs and dates are replaced by
// fixed ones, so that compose.yml can name the pool and its clients.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, LOCAL_ADMIN_GROUP, SEED_USERS, startLocalPool } from '@backend/local-cognito';
import { type LocalStackInfo, webCallbackUrls } from '../dev/local/local-stack.js';

export const COMPOSE_POOL = {
  userPoolId: 'local_backend',
  backendClientId: 'local_backend_client',
  webClientId: 'local_web_client',
  webRotatingClientId: 'local_web_rotating_client',
  serviceClientId: 'local_service_client',
  /** Local only, like the emulator's signing key: a fixed secret so that compose.yml and the stack file can name it. */
  serviceClientSecret: 'local-service-client-secret',
  /** Where the host reaches the emulator (compose publishes it on the loopback only). */
  hostEndpoint: 'http://127.0.0.1:9229',
  /** /admin and the usual dev servers' callbacks, as `npm start` registers them. */
  callbackUrls: webCallbackUrls(8000, {}),
};
const FIXED_DATE = '2026-01-01T00:00:00.000Z';
const FIXED_SUBS = ['5eed0000-0000-4000-8000-000000000001', '5eed0000-0000-4000-8000-000000000002'];

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'compose-pool-'));
  const pool = await startLocalPool({ dir, port: await freePort(), callbackUrls: COMPOSE_POOL.callbackUrls });
  await pool.stop();

  const db = join(dir, '.cognito', 'db');
  const fixed = (text: string): string => {
    let result = text
      .replaceAll(pool.userPoolId, COMPOSE_POOL.userPoolId)
      .replaceAll(pool.backendClientId, COMPOSE_POOL.backendClientId)
      .replaceAll(pool.webRotatingClientId, COMPOSE_POOL.webRotatingClientId)
      .replaceAll(pool.webClientId, COMPOSE_POOL.webClientId)
      .replaceAll(pool.serviceClientSecret, COMPOSE_POOL.serviceClientSecret)
      .replaceAll(pool.serviceClientId, COMPOSE_POOL.serviceClientId)
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, FIXED_DATE);
    const subs = [...new Set([...text.matchAll(/"Name": "sub",\s*"Value": "([0-9a-f-]{36})"/g)].map((match) => match[1]))];
    subs.forEach((sub, index) => (result = result.replaceAll(sub, FIXED_SUBS[index])));
    return result;
  };
  // The emulator's files, and the front's (local/: app-client settings such as refresh-token rotation).
  mkdirSync('docker/cognito/db/local', { recursive: true });
  for (const file of readdirSync(db, { recursive: true }).map(String)) {
    if (!file.endsWith('.json') || file === 'local/sessions.json') continue;
    const target = file === `${pool.userPoolId}.json` ? `${COMPOSE_POOL.userPoolId}.json` : file;
    writeFileSync(join('docker/cognito/db', target), `${fixed(readFileSync(join(db, file), 'utf8')).trimEnd()}\n`);
  }

  const stack: LocalStackInfo = {
    endpoint: COMPOSE_POOL.hostEndpoint,
    region: pool.region,
    userPoolId: COMPOSE_POOL.userPoolId,
    backendClientId: COMPOSE_POOL.backendClientId,
    webClientId: COMPOSE_POOL.webClientId,
    webRotatingClientId: COMPOSE_POOL.webRotatingClientId,
    serviceClientId: COMPOSE_POOL.serviceClientId,
    serviceClientSecret: COMPOSE_POOL.serviceClientSecret,
    apiUrl: 'http://localhost:8000',
    adminGroup: LOCAL_ADMIN_GROUP,
    users: SEED_USERS.map(({ username, password, groups }) => ({ username, password, groups })),
  };
  writeFileSync('docker/local-stack.json', `${JSON.stringify(stack, null, 2)}\n`);
  console.log('Wrote docker/cognito/db/ and docker/local-stack.json');
}

void main();
