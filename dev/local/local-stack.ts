import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { startEmbeddedDatabase } from './embedded-database.js';
import { DEFAULT_RELYING_PARTY_ID, LOCAL_ADMIN_GROUP, startLocalPool, type LocalPool, type SeededLocalPool } from '@backend/local-cognito';
import {
  assertPortFree,
  DEFAULT_DATA_DIR,
  DEFAULT_DATABASE_PORT,
  DEFAULT_EMULATOR_PORT,
  LocalStackError,
  localPort,
} from './start-checks.js';

/**
 * Origins `npm start` allows when CORS_ORIGINS is unset: the dev servers of Create React App and
 * Next.js (3000), Vite (5173), Angular (4200) and Vue CLI / webpack (8080), by both loopback names.
 */
export const LOCAL_DEV_ORIGINS = [3000, 5173, 4200, 8080].flatMap((port) => [`http://localhost:${port}`, `http://127.0.0.1:${port}`]);

/** The Hosted UI callbacks (and sign-out URLs) of those dev servers, unless LOCAL_CALLBACK_URLS replaces them. */
export const LOCAL_DEV_CALLBACK_URLS = LOCAL_DEV_ORIGINS.flatMap((origin) => [`${origin}/`, `${origin}/callback`]);

/** The `web` client's callback URLs: the API's /admin by both loopback names, and the dev servers' (or LOCAL_CALLBACK_URLS). */
export function webCallbackUrls(apiPort: number, env: Record<string, string | undefined>): string[] {
  const extra = env.LOCAL_CALLBACK_URLS?.trim();
  const list = extra
    ? extra
        .split(',')
        .map((url) => url.trim())
        .filter(Boolean)
    : LOCAL_DEV_CALLBACK_URLS;
  for (const url of list) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) {
      throw new LocalStackError(
        `LOCAL_CALLBACK_URLS must be comma-separated http(s) URLs, e.g. http://localhost:5173/callback (got "${url}").`,
      );
    }
  }
  return [...new Set([`http://localhost:${apiPort}/admin`, `http://127.0.0.1:${apiPort}/admin`, ...list])];
}

/** One local pool as the stack file describes it. */
export interface LocalStackPool extends LocalPool {
  adminGroup: string;
  users: Array<{ username: string; password: string; groups: string[] }>;
}

/**
 * What `npm start` wrote about the running local pools: read by `npm run token` and by outside test
 * suites. The top-level fields describe the first pool (`default`), as they always have; `pools`
 * holds the same fields for each pool by its name for the API (`default`, `staff`).
 */
export interface LocalStackInfo extends LocalStackPool {
  apiUrl: string;
  pools: Record<string, LocalStackPool>;
}

/** The API's variables of a local pool: COGNITO_REGION... for `default`, COGNITO_STAFF_REGION... for `staff`. */
function poolEnv(name: string, pool: LocalPool): Record<string, string> {
  const prefix = name === 'default' ? 'COGNITO_' : `COGNITO_${name.toUpperCase()}_`;
  return {
    [`${prefix}ENDPOINT`]: pool.endpoint,
    [`${prefix}REGION`]: pool.region,
    [`${prefix}USER_POOL_ID`]: pool.userPoolId,
    [`${prefix}CLIENT_IDS`]: [pool.backendClientId, pool.webClientId, pool.webRotatingClientId, pool.serviceClientId].join(','),
  };
}

export function stackFile(dataDir = DEFAULT_DATA_DIR): string {
  return resolve(dataDir, 'local-stack.json');
}

export interface LocalStackOptions {
  dataDir?: string;
  emulatorPort?: number;
  databasePort?: number;
  /** Port the API will listen on, for the /admin page's OAuth callback. */
  apiPort: number;
  /** Variables already set; only what is missing is started here. */
  env: Record<string, string | undefined>;
  log?: (line: string) => void;
}

export interface LocalStack {
  /** The environment to load the API's configuration from. */
  env: Record<string, string | undefined>;
  info?: LocalStackInfo;
  stop: () => Promise<void>;
}

/**
 * Fills in what is not configured: an embedded PostgreSQL when DATABASE_URL is absent, the
 * Cognito emulator with two seeded pools (default and staff) when COGNITO_USER_POOL_ID is absent,
 * and the local dev servers' origins when CORS_ORIGINS is absent. None of them in production.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  const log = options.log ?? (() => undefined);
  const env = { ...options.env };
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => undefined);
  };

  try {
    // A developer sees a sign-out at the pool take effect within seconds.
    if (env.TOKEN_RECHECK_SECONDS === undefined && env.NODE_ENV !== 'production') env.TOKEN_RECHECK_SECONDS = '5';
    if (env.CORS_ORIGINS === undefined && env.NODE_ENV !== 'production') {
      env.CORS_ORIGINS = LOCAL_DEV_ORIGINS.join(',');
      log(`CORS allowed for local dev servers on ports 3000, 5173, 4200 and 8080 (set CORS_ORIGINS to change)`);
    }

    if (!env.DATABASE_URL && env.NODE_ENV !== 'production') {
      const port = options.databasePort ?? localPort(env, 'LOCAL_DATABASE_PORT', DEFAULT_DATABASE_PORT);
      await assertPortFree(port, 'the embedded PostgreSQL', 'LOCAL_DATABASE_PORT');
      const database = await startEmbeddedDatabase(resolve(dataDir, 'postgres'), port);
      stops.push(database.stop);
      env.DATABASE_URL = database.url;
      log(`Embedded PostgreSQL on 127.0.0.1:${port} (data in ${resolve(dataDir, 'postgres')})`);
    }

    let info: LocalStackInfo | undefined;
    if (!env.COGNITO_USER_POOL_ID && env.NODE_ENV !== 'production') {
      const callbacks = webCallbackUrls(options.apiPort, env);
      const running = await startLocalPool({
        dir: resolve(dataDir, 'cognito'),
        port: options.emulatorPort ?? localPort(env, 'LOCAL_COGNITO_PORT', DEFAULT_EMULATOR_PORT),
        callbackUrls: callbacks,
        onMessage: log,
        preTokenHook: env.LOCAL_PRE_TOKEN_HOOK?.trim() || undefined,
        relyingPartyId: env.LOCAL_PASSKEY_RP_ID?.trim() || undefined,
      });
      stops.push(running.stop);
      const described = (seeded: SeededLocalPool): LocalStackPool => ({ ...seeded, adminGroup: LOCAL_ADMIN_GROUP });
      const pools = Object.fromEntries(Object.entries(running.pools).map(([name, seeded]) => [name, described(seeded)]));
      const { stop: _stop, pools: _pools, ...first } = running;
      const pool = described(first);
      info = { ...pool, apiUrl: `http://localhost:${options.apiPort}`, pools };
      Object.assign(env, poolEnv('default', pool), {
        COGNITO_BACKEND_CLIENT_ID: pool.backendClientId,
        COGNITO_DOMAIN: pool.endpoint,
        COGNITO_WEB_CLIENT_ID: pool.webClientId,
      });
      // The further pools, unless the environment names pools of its own.
      const further = Object.keys(pools).filter((name) => name !== 'default');
      if (env.COGNITO_POOLS === undefined && further.length > 0) {
        env.COGNITO_POOLS = further.join(',');
        for (const name of further) Object.assign(env, poolEnv(name, pools[name]));
      }
      const file = stackFile(dataDir);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${JSON.stringify(info, null, 2)}\n`);
      const ids = Object.entries(pools).map(([name, each]) => `${name} ${each.userPoolId}`);
      log(
        `Local Cognito pools on ${pool.endpoint}: ${ids.join(', ')} (details in ${file}; codes they send: ${pool.endpoint}/_local/outbox)`,
      );
      log(
        env.LOCAL_CALLBACK_URLS?.trim()
          ? `Hosted UI callbacks of the web client: /admin and ${callbacks.slice(2).join(', ')} (LOCAL_CALLBACK_URLS)`
          : `Hosted UI callbacks of the web client: /admin, and / and /callback of the dev servers on ports 3000, 5173, 4200 and 8080 (set LOCAL_CALLBACK_URLS to change)`,
      );
      const relyingPartyId = env.LOCAL_PASSKEY_RP_ID?.trim() || DEFAULT_RELYING_PARTY_ID;
      const pages = relyingPartyId === DEFAULT_RELYING_PARTY_ID ? 'http://localhost:<port>, not 127.0.0.1' : `https://${relyingPartyId}`;
      log(`Passkeys: relying party id ${relyingPartyId}, for pages at ${pages} (set LOCAL_PASSKEY_RP_ID to change)`);
    }
    return { env, info, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
