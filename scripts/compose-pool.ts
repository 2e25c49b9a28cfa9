// Regenerates the compose stack's pools (docker/cognito/db/*.json) and its stack file
// (docker/local-stack.json): `npx tsx scripts/compose-pool.ts`. The emulator itself writes the
// files, seeded as `npm start` seeds its pools (default and staff); only their random ids, subs and
// dates are replaced by fixed ones, so that compose.yml can name the pools and their clients.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, LOCAL_ADMIN_GROUP, startLocalPool, type SeededLocalPool } from '@backend/local-cognito';
import { type LocalStackInfo, type LocalStackPool, webCallbackUrls } from '../dev/local/local-stack.js';

/** Each pool's fixed ids: `local_<name>` and `local_<name>_<client>_client` (the default pool is local_backend, as it has always been). */
function composeIds(name: string) {
  const prefix = name === 'default' ? 'local' : `local_${name}`;
  return {
    userPoolId: name === 'default' ? 'local_backend' : `local_${name}`,
    backendClientId: `${prefix}_backend_client`,
    webClientId: `${prefix}_web_client`,
    webRotatingClientId: `${prefix}_web_rotating_client`,
    serviceClientId: `${prefix}_service_client`,
    /** Local only, like the emulator's signing key: a fixed secret so that compose.yml and the stack file can name it. */
    serviceClientSecret: `${prefix.replaceAll('_', '-')}-service-client-secret`,
  };
}

export const COMPOSE_POOL = {
  /** Where the host reaches the emulator (compose publishes it on the loopback only). */
  hostEndpoint: 'http://127.0.0.1:9229',
  /** /admin and the usual dev servers' callbacks, as `npm start` registers them. */
  callbackUrls: webCallbackUrls(8000, {}),
};
const FIXED_DATE = '2026-01-01T00:00:00.000Z';

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'compose-pool-'));
  const running = await startLocalPool({ dir, port: await freePort(), callbackUrls: COMPOSE_POOL.callbackUrls });
  await running.stop();
  const pools = Object.entries(running.pools);

  const db = join(dir, '.cognito', 'db');
  let subs = 0;
  const fixedSubs = new Map<string, string>();
  const fixed = (text: string): string => {
    let result = text;
    for (const [name, pool] of pools) {
      const ids = composeIds(name);
      // The rotating client first: the web client's id is not a part of it, but be sure.
      for (const field of [
        'userPoolId',
        'backendClientId',
        'webRotatingClientId',
        'webClientId',
        'serviceClientSecret',
        'serviceClientId',
      ] as const) {
        result = result.replaceAll(pool[field], ids[field]);
      }
    }
    result = result.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, FIXED_DATE);
    for (const match of text.matchAll(/"Name": "sub",\s*"Value": "([0-9a-f-]{36})"/g)) {
      if (!fixedSubs.has(match[1])) fixedSubs.set(match[1], `5eed0000-0000-4000-8000-${String(++subs).padStart(12, '0')}`);
    }
    for (const [sub, replacement] of fixedSubs) result = result.replaceAll(sub, replacement);
    return result;
  };
  // The emulator's files, and the front's (local/: app-client settings such as refresh-token rotation).
  mkdirSync('docker/cognito/db/local', { recursive: true });
  const files = readdirSync(db, { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.json') && file !== 'local/sessions.json');
  // Pool files in the seeding order, so that the fixed subs follow it (alice, admin, then sam).
  const poolFile = (name: string) => `${running.pools[name].userPoolId}.json`;
  files.sort((a, b) => pools.findIndex(([name]) => poolFile(name) === a) - pools.findIndex(([name]) => poolFile(name) === b));
  for (const file of files) {
    const owner = pools.find(([name]) => poolFile(name) === file);
    const target = owner ? `${composeIds(owner[0]).userPoolId}.json` : file;
    writeFileSync(join('docker/cognito/db', target), `${fixed(readFileSync(join(db, file), 'utf8')).trimEnd()}\n`);
  }

  const described = (name: string, pool: SeededLocalPool): LocalStackPool => ({
    endpoint: COMPOSE_POOL.hostEndpoint,
    region: pool.region,
    ...composeIds(name),
    adminGroup: LOCAL_ADMIN_GROUP,
    users: pool.users,
  });
  const stack: LocalStackInfo = {
    ...described('default', running.pools.default),
    apiUrl: 'http://localhost:8000',
    pools: Object.fromEntries(pools.map(([name, pool]) => [name, described(name, pool)])),
  };
  writeFileSync('docker/local-stack.json', `${JSON.stringify(stack, null, 2)}\n`);
  console.log('Wrote docker/cognito/db/ and docker/local-stack.json');
}

void main();
