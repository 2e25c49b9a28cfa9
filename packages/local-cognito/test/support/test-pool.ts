import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { Amplify } from 'aws-amplify';
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

/**
 * The test file's pool: started before its tests (as `startTestPool`), closed after them, with Amplify
 * set up for it when asked. The object returned is filled in once the pool has started, so that tests
 * use it as the pool itself.
 */
export function useTestPool(extra: LocalCognitoOptions | (() => LocalCognitoOptions) = {}, { amplify = false } = {}): TestPool {
  const pool = {} as TestPool;
  beforeAll(async () => {
    Object.assign(pool, await startTestPool(typeof extra === 'function' ? extra() : extra));
    if (amplify) configureAmplify(pool);
  }, POOL_START_TIMEOUT_MS);
  afterAll(async () => {
    await pool.close?.();
  });
  return pool;
}

/** The test helper's options for `pool`: its stack file, read when a test runs (the pool has started by then). */
export function helperOptions(pool: TestPool): { readonly stackFile: string } {
  return {
    get stackFile() {
      return pool.stackFile;
    },
  };
}

/** Amplify 6 set up for `pool`'s web client, as an SPA sets it up but for the pool's endpoint. */
function configureAmplify(pool: TestPool): void {
  Amplify.configure({
    Auth: { Cognito: { userPoolId: pool.userPoolId, userPoolClientId: pool.webClientId, userPoolEndpoint: pool.endpoint } },
  });
}

/** Starting a pool is starting the emulator's process: up to a minute on a loaded 2-core machine. */
export const POOL_START_TIMEOUT_MS = 120_000;

/** One full SRP exchange is 3072-bit arithmetic in the client library: many seconds on a busy 2-core machine. */
export const SRP_TEST_TIMEOUT_MS = 60_000;
