import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { startCognitoEmulator } from './cognito-emulator.js';
import { startEmbeddedDatabase } from './embedded-database.js';
import { LOCAL_ADMIN_GROUP, seedLocalPool, SEED_USERS, type LocalPool } from './local-pool.js';

export const DEFAULT_DATA_DIR = '.data';
export const DEFAULT_EMULATOR_PORT = 9229;
export const DEFAULT_DATABASE_PORT = 54329;

/**
 * Origins `npm start` allows when CORS_ORIGINS is unset: the dev servers of Create React App and
 * Next.js (3000), Vite (5173), Angular (4200) and Vue CLI / webpack (8080), by both loopback names.
 */
export const LOCAL_DEV_ORIGINS = [3000, 5173, 4200, 8080].flatMap((port) => [`http://localhost:${port}`, `http://127.0.0.1:${port}`]);

/** What `npm start` wrote about the running local pool: read by `npm run token` and by outside test suites. */
export interface LocalStackInfo extends LocalPool {
  apiUrl: string;
  adminGroup: string;
  users: Array<{ username: string; password: string; groups: string[] }>;
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
 * Cognito emulator with a seeded pool when COGNITO_USER_POOL_ID is absent, and the local dev
 * servers' origins when CORS_ORIGINS is absent. None of them in production.
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
    if (env.CORS_ORIGINS === undefined && env.NODE_ENV !== 'production') {
      env.CORS_ORIGINS = LOCAL_DEV_ORIGINS.join(',');
      log(`CORS allowed for local dev servers on ports 3000, 5173, 4200 and 8080 (set CORS_ORIGINS to change)`);
    }

    if (!env.DATABASE_URL && env.NODE_ENV !== 'production') {
      const port = options.databasePort ?? DEFAULT_DATABASE_PORT;
      const database = await startEmbeddedDatabase(resolve(dataDir, 'postgres'), port);
      stops.push(database.stop);
      env.DATABASE_URL = database.url;
      log(`Embedded PostgreSQL on 127.0.0.1:${port} (data in ${resolve(dataDir, 'postgres')})`);
    }

    let info: LocalStackInfo | undefined;
    if (!env.COGNITO_USER_POOL_ID && env.NODE_ENV !== 'production') {
      const emulator = await startCognitoEmulator(resolve(dataDir, 'cognito'), options.emulatorPort ?? DEFAULT_EMULATOR_PORT);
      stops.push(emulator.stop);
      const callbacks = [`http://localhost:${options.apiPort}/admin`, `http://127.0.0.1:${options.apiPort}/admin`];
      const pool = await seedLocalPool(emulator.endpoint, callbacks);
      info = {
        ...pool,
        apiUrl: `http://localhost:${options.apiPort}`,
        adminGroup: LOCAL_ADMIN_GROUP,
        users: SEED_USERS.map(({ username, password, groups }) => ({ username, password, groups })),
      };
      Object.assign(env, {
        COGNITO_ENDPOINT: pool.endpoint,
        COGNITO_REGION: pool.region,
        COGNITO_USER_POOL_ID: pool.userPoolId,
        COGNITO_CLIENT_IDS: [pool.backendClientId, pool.webClientId].join(','),
        COGNITO_BACKEND_CLIENT_ID: pool.backendClientId,
        COGNITO_DOMAIN: pool.endpoint,
        COGNITO_WEB_CLIENT_ID: pool.webClientId,
      });
      const file = stackFile(dataDir);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${JSON.stringify(info, null, 2)}\n`);
      log(`Cognito emulator on ${pool.endpoint}, pool ${pool.userPoolId} (details in ${file})`);
    }
    return { env, info, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
