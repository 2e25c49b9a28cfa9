import type { SeededUserHint } from './hosted-ui-page.js';
import { startLocalCognito, type LocalCognitoOptions } from './local-cognito.js';
import { type LocalPool, SEED_USERS, seedLocalPool } from './seed-pool.js';

export interface StartLocalPoolOptions extends LocalCognitoOptions {
  /** The folder that keeps the pool's state (`.cognito/` inside it): a second start there finds the same pool. */
  dir: string;
  /** Where the pool listens (127.0.0.1 unless `host` says otherwise). */
  port: number;
  /** Callback and sign-out URLs of the `web` app client (the Hosted UI's). */
  callbackUrls?: string[];
}

export interface RunningLocalPool extends LocalPool {
  /** The seeded users with their passwords and groups (also shown on the Hosted UI page). */
  users: SeededUserHint[];
  stop: () => Promise<void>;
}

/**
 * Starts the local pool in `dir` on `port` and seeds it (the pool, its app clients, the admin
 * group and the seeded users); `stop()` stops it, its state stays in `dir`.
 */
export async function startLocalPool(options: StartLocalPoolOptions): Promise<RunningLocalPool> {
  const { dir, port, callbackUrls = [], ...rest } = options;
  const users = SEED_USERS.map(({ username, password, groups }) => ({ username, password, groups }));
  const cognito = await startLocalCognito(dir, port, users, rest);
  try {
    const pool = await seedLocalPool(cognito.endpoint, callbackUrls);
    return { ...pool, users, stop: cognito.stop };
  } catch (error) {
    await cognito.stop();
    throw error;
  }
}
