import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { emulatorClient, freePort, startLocalPool, type LocalCognitoOptions, type RunningLocalPool } from '../../src/index.js';

export interface TestPool extends RunningLocalPool {
  /** A stack file describing this pool, as `npm start` writes `.data/local-stack.json`. */
  stackFile: string;
  /** An AWS SDK client for this pool (unsigned requests are fine locally). */
  sdk: CognitoIdentityProviderClient;
  /** Stops the pool and starts it again in the same folder, on the same port. */
  restart: () => Promise<void>;
  /** Moves the pool's clock forward (sessions, rotation grace periods) instead of waiting. */
  advanceClock: (ms: number) => void;
  close: () => Promise<void>;
}

/** A local pool of the test file's own, in a temporary folder on a free loopback port, seeded as `npm start` seeds it. */
export async function startTestPool(extra: LocalCognitoOptions = {}): Promise<TestPool> {
  const dir = mkdtempSync(join(tmpdir(), 'local-cognito-'));
  let offset = 0;
  const options = {
    ...extra,
    dir,
    port: await freePort(),
    callbackUrls: ['http://localhost:3000/callback'],
    now: () => Date.now() + offset,
  };
  const pool = await startLocalPool(options);
  let { stop } = pool;
  const { stop: _stop, ...info } = pool;
  const stackFile = join(dir, 'local-stack.json');
  writeFileSync(stackFile, JSON.stringify({ ...info, apiUrl: 'http://localhost:8000', adminGroup: 'admin' }, null, 2));
  const sdk = emulatorClient(pool.endpoint);
  return {
    ...pool,
    stackFile,
    sdk,
    restart: async () => {
      await stop();
      ({ stop } = await startLocalPool(options));
    },
    advanceClock: (ms) => (offset += ms),
    close: async () => {
      sdk.destroy();
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starting a pool is starting the emulator's process: up to a minute on a loaded 2-core machine. */
export const POOL_START_TIMEOUT_MS = 120_000;

/** One full SRP exchange is 3072-bit arithmetic in the client library: many seconds on a busy 2-core machine. */
export const SRP_TEST_TIMEOUT_MS = 60_000;
