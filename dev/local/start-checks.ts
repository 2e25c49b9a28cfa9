import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { assertPortFree, DEFAULT_POOL_PORT, LocalPoolStartError, localPort, portInUse } from '@backend/local-cognito';
import { dirname, resolve } from 'node:path';

// What `npm start` checks before it loads anything heavy, so that a refusal is quick and one line.

export const DEFAULT_DATA_DIR = '.data';
export const DEFAULT_EMULATOR_PORT = DEFAULT_POOL_PORT;
export const DEFAULT_DATABASE_PORT = 54329;

/** A start-up refusal meant for the terminal: one line, the port, and what to do (the local pool's own refusals are of this class too). */
export { LocalPoolStartError as LocalStackError, assertPortFree, localPort, portInUse };

/**
 * Marks this checkout's data folder as used by the running `npm start` (its PostgreSQL data and
 * pool state cannot serve two): a second start is refused with the first one's pid. Released at stop.
 */
export function claimCheckout(dataDir: string, apiPort: number): () => void {
  const file = resolve(dataDir, 'npm-start.pid');
  mkdirSync(dirname(file), { recursive: true });
  try {
    const other = JSON.parse(readFileSync(file, 'utf8')) as { pid?: number; apiPort?: number };
    if (typeof other.pid === 'number' && other.pid !== process.pid && isAlive(other.pid)) {
      throw new LocalPoolStartError(
        `npm start already runs in this checkout (pid ${other.pid}, API on port ${other.apiPort}): stop it first (Ctrl+C in its terminal, or kill ${other.pid}).`,
      );
    }
  } catch (error) {
    if (error instanceof LocalPoolStartError) throw error;
  }
  writeFileSync(file, JSON.stringify({ pid: process.pid, apiPort }));
  return () => rmSync(file, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Everything `npm start` can refuse before it starts anything: a second start in this checkout, and
 * a busy port of the API or of an embedded part it would start. Returns the release of the checkout.
 */
export async function preflight(env: Record<string, string | undefined>, apiPort: number): Promise<() => void> {
  const release = claimCheckout(DEFAULT_DATA_DIR, apiPort);
  try {
    await assertPortFree(apiPort, 'the API', 'PORT');
    if (env.NODE_ENV !== 'production' && !env.COGNITO_USER_POOL_ID) {
      await assertPortFree(localPort(env, 'LOCAL_COGNITO_PORT', DEFAULT_EMULATOR_PORT), 'the local Cognito pool', 'LOCAL_COGNITO_PORT');
    }
    if (env.NODE_ENV !== 'production' && !env.DATABASE_URL) {
      await assertPortFree(localPort(env, 'LOCAL_DATABASE_PORT', DEFAULT_DATABASE_PORT), 'the embedded PostgreSQL', 'LOCAL_DATABASE_PORT');
    }
    return release;
  } catch (error) {
    release();
    throw error;
  }
}
