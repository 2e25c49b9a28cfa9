import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { dirname, resolve } from 'node:path';

// What `npm start` checks before it loads anything heavy, so that a refusal is quick and one line.

export const DEFAULT_DATA_DIR = '.data';
export const DEFAULT_EMULATOR_PORT = 9229;
export const DEFAULT_DATABASE_PORT = 54329;

/** A start-up refusal meant for the terminal: one line, the port, and what to do. */
export class LocalStackError extends Error {
  override name = 'LocalStackError';
}

export function portInUse(port: number, what: string, variable: string, host = '127.0.0.1'): LocalStackError {
  return new LocalStackError(
    `Port ${port} (${what}) is already in use on ${host}: stop what listens there, or set ${variable} to a free port.`,
  );
}

/** Resolves when `port` can be bound on the loopback interface; refuses with portInUse otherwise. */
export function assertPortFree(port: number, what: string, variable: string): Promise<void> {
  return new Promise((done, fail) => {
    const probe: Server = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => fail(error.code === 'EADDRINUSE' ? portInUse(port, what, variable) : error));
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => done()));
  });
}

/** LOCAL_COGNITO_PORT / LOCAL_DATABASE_PORT, or the default. */
export function localPort(env: Record<string, string | undefined>, variable: string, fallback: number): number {
  const raw = env[variable]?.trim();
  if (!raw) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new LocalStackError(`${variable} must be a port number from 1 to 65535 (got "${raw}").`);
  return port;
}

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
      throw new LocalStackError(
        `npm start already runs in this checkout (pid ${other.pid}, API on port ${other.apiPort}): stop it first (Ctrl+C in its terminal, or kill ${other.pid}).`,
      );
    }
  } catch (error) {
    if (error instanceof LocalStackError) throw error;
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
