import type { SeededUserHint } from './hosted-ui-page.js';
import { startLocalCognito, type LocalCognitoOptions } from './local-cognito.js';
import { type LocalPool, LOCAL_POOLS, type LocalPoolSeed, seedLocalPool } from './seed-pool.js';

export interface StartLocalPoolOptions extends LocalCognitoOptions {
  /** The folder that keeps the pool's state (`.cognito/` inside it): a second start there finds the same pool. */
  dir: string;
  /** Where the pool listens (127.0.0.1 unless `host` says otherwise). */
  port: number;
  /** Callback and sign-out URLs of each pool's `web` app client (the Hosted UI's). */
  callbackUrls?: string[];
  /** The pools to seed, the first one's fields at the top level: default LOCAL_POOLS (default and staff). */
  pools?: LocalPoolSeed[];
}

/** One seeded pool and its users with their passwords and groups (also shown on the Hosted UI page). */
export interface SeededLocalPool extends LocalPool {
  users: SeededUserHint[];
}

export interface RunningLocalPool extends SeededLocalPool {
  /** Every seeded pool by its name for the API (`default`, `staff`), the first one included. */
  pools: Record<string, SeededLocalPool>;
  stop: () => Promise<void>;
}

/** A pool's users as the Hosted UI page shows them (on the sign-in page of that pool's clients only). */
function hintsOf(seed: LocalPoolSeed): SeededUserHint[] {
  return seed.users.map(({ username, password, groups }) => ({ username, password, groups, poolName: seed.name }));
}

/**
 * Starts the local Cognito in `dir` on `port` and seeds its pools (each with its app clients, its
 * admin group and its seeded users) in the one emulator, which serves each pool by its id (each its
 * own issuer, `<endpoint>/<pool id>`); `stop()` stops it, its state stays in `dir`.
 */
export async function startLocalPool(options: StartLocalPoolOptions): Promise<RunningLocalPool> {
  const { dir, port, callbackUrls = [], pools: seeds = LOCAL_POOLS, ...rest } = options;
  const cognito = await startLocalCognito(dir, port, seeds.flatMap(hintsOf), rest);
  try {
    const pools: Record<string, SeededLocalPool> = {};
    for (const seed of seeds) {
      const pool = await seedLocalPool(cognito.endpoint, callbackUrls, seed);
      pools[seed.key] = { ...pool, users: hintsOf(seed).map(({ poolName: _name, ...user }) => user) };
    }
    return { ...pools[seeds[0].key], pools, stop: cognito.stop };
  } catch (error) {
    await cognito.stop();
    throw error;
  }
}
