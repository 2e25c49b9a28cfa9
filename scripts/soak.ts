/**
 * `npm run soak`: a bounded load against GET /api/v1/me with real access tokens, on a stack of its own
 * (embedded PostgreSQL, Cognito emulator, the compiled server as in production), in a temporary folder.
 * Prints throughput, latency percentiles, errors and the server's memory before and after; exits 1 on
 * any error or on heap growth beyond noise. `npm run soak -- --seconds 10 --connections 20` (or SOAK_SECONDS,
 * SOAK_CONNECTIONS) changes the load from 60 s and 50 connections.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AdminInitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startEmbeddedDatabase } from '../dev/local/embedded-database.js';
import { emulatorClient, ensureUser, freePort, seedLocalPool, startCognitoEmulator } from '@backend/local-cognito';
import { startProdArgs } from './bench/bench-stack.js';

interface Histogram {
  average: number;
  mean: number;
  stddev: number;
  min: number;
  max: number;
  total: number;
  p50: number;
  p90: number;
  p97_5: number;
  p99: number;
}
interface Result {
  requests: Histogram;
  latency: Histogram;
  errors: number;
  timeouts: number;
  non2xx: number;
  resets: number;
  duration: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<Result>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** `--seconds 10` / `--connections 20` (after `npm run soak --`), or SOAK_SECONDS / SOAK_CONNECTIONS. */
function option(name: string, fallback: number): number {
  const flag = process.argv.indexOf(`--${name}`);
  const raw = flag === -1 ? process.env[`SOAK_${name.toUpperCase()}`] : process.argv[flag + 1];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer (got "${raw}")`);
  return value;
}

const SECONDS = option('seconds', 60);
const CONNECTIONS = option('connections', 50);
const WARM_UP_SECONDS = Math.min(10, Math.max(2, Math.round(SECONDS / 6)));
const BASELINE_SECONDS = Math.min(10, SECONDS);
const USERS = 20;
/** Heap growth tolerated as noise: caches filling, JIT, lazily built structures. */
const HEAP_NOISE_BYTES = 8 * 1024 * 1024;

const MAIN = resolve('dist/src/main.js');
const PROBE = resolve('scripts/soak-memory-probe.mjs');

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const say = (line: string) => console.log(`[soak] ${line}`);

function memoryOf(server: ChildProcess): Promise<NodeJS.MemoryUsage> {
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error('the server did not report its memory')), 5000);
    server.once('message', (message: { memory: NodeJS.MemoryUsage }) => {
      clearTimeout(timer);
      done(message.memory);
    });
    server.send('memory');
  });
}

async function waitUntilReady(url: string, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode}`);
    const status = await fetch(`${url}/health/ready`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error('the server was not ready within 30 s');
}

function load(url: string, seconds: number, requests: Array<Record<string, unknown>>): Promise<Result> {
  return autocannon({ url, connections: CONNECTIONS, duration: seconds, requests, timeout: 10 });
}

function describe(label: string, result: Result): void {
  const { latency, requests } = result;
  say(
    `${label}: ${requests.total} requests in ${result.duration.toFixed(0)} s, ${requests.average.toFixed(0)} req/s ` +
      `(min ${requests.min}, max ${requests.max} per second)`,
  );
  say(
    `${label}: latency p50 ${latency.p50} ms, p90 ${latency.p90} ms, p97.5 ${latency.p97_5} ms, p99 ${latency.p99} ms, max ${latency.max} ms`,
  );
  say(`${label}: errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}, resets ${result.resets}`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'backend-soak-'));
  chmodSync(dir, 0o755); // as root, PostgreSQL runs as another user that must reach its folder
  const stops: Array<() => Promise<unknown>> = [() => Promise.resolve(rmSync(dir, { recursive: true, force: true }))];
  try {
    const database = await startEmbeddedDatabase(join(dir, 'postgres'), await freePort());
    stops.unshift(database.stop);
    const emulator = await startCognitoEmulator(join(dir, 'cognito'), await freePort());
    stops.unshift(emulator.stop);
    const pool = await seedLocalPool(emulator.endpoint, ['http://localhost:8000/admin']);

    const cognito = emulatorClient(emulator.endpoint);
    const tokens: string[] = [];
    for (let index = 0; index < USERS; index++) {
      const user = {
        username: `soak-${index}`,
        password: 'Soak-pass-1',
        groups: [],
        attributes: { email: `soak-${index}@example.com`, email_verified: 'true' },
      };
      await ensureUser(cognito, pool.userPoolId, user);
      const signedIn = await cognito.send(
        new AdminInitiateAuthCommand({
          UserPoolId: pool.userPoolId,
          ClientId: pool.backendClientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
        }),
      );
      tokens.push(signedIn.AuthenticationResult!.AccessToken!);
    }
    cognito.destroy();

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const logFile = join(dir, 'server.log');
    // The server writes its log straight into the file, as to a container's stdout: never held up by this process.
    const logFd = openSync(logFile, 'a');
    const server = spawn(process.execPath, ['--expose-gc', '--import', PROBE, ...startProdArgs(MAIN)], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
        DATABASE_URL: database.url,
        COGNITO_ENDPOINT: pool.endpoint,
        COGNITO_REGION: pool.region,
        COGNITO_USER_POOL_ID: pool.userPoolId,
        COGNITO_CLIENT_IDS: pool.backendClientId,
      },
      stdio: ['ignore', logFd, logFd, 'ipc'],
    });
    closeSync(logFd);
    const exited = new Promise<number | null>((done) => server.once('close', done));
    stops.unshift(async () => {
      if (server.exitCode === null) server.kill('SIGKILL');
      await exited;
    });
    await waitUntilReady(url, server);

    const me = tokens.map((token) => ({ method: 'GET', path: '/api/v1/me', headers: { authorization: `Bearer ${token}` } }));
    say(`server pid ${server.pid} on ${url}, ${USERS} users, ${CONNECTIONS} connections; access log in ${logFile}`);
    say(`warming up for ${WARM_UP_SECONDS} s`);
    const warmUp = await load(url, WARM_UP_SECONDS, me);
    const before = await memoryOf(server);

    say(`GET /api/v1/me for ${SECONDS} s`);
    const result = await load(url, SECONDS, me);
    const after = await memoryOf(server);
    describe('GET /api/v1/me', result);

    const baseline = await load(url, BASELINE_SECONDS, [{ method: 'GET', path: '/health/live' }]);
    describe('GET /health/live (baseline)', baseline);
    say(
      `/api/v1/me reaches ${((100 * result.requests.average) / baseline.requests.average).toFixed(0)}% of the public health route's throughput`,
    );

    const growth = after.heapUsed - before.heapUsed;
    say(`memory before: rss ${mb(before.rss)}, heap used ${mb(before.heapUsed)} (after warm-up and a full GC)`);
    say(`memory after:  rss ${mb(after.rss)}, heap used ${mb(after.heapUsed)} (heap ${growth >= 0 ? '+' : ''}${mb(growth)})`);

    server.kill('SIGTERM');
    const exitCode = await exited;
    const logged = readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((line) => line.includes('"path":"/api/v1/me"')).length;
    const served = warmUp.requests.total + result.requests.total;
    say(`SIGTERM: exit code ${exitCode}; ${logged} access-log lines for ${served} requests to /api/v1/me`);

    const errors = result.errors + result.timeouts + result.non2xx + warmUp.errors + warmUp.timeouts + warmUp.non2xx;
    const problems = [
      errors > 0 && `${errors} failed requests`,
      growth > HEAP_NOISE_BYTES && `heap grew by ${mb(growth)} (noise: up to ${mb(HEAP_NOISE_BYTES)})`,
      exitCode !== 0 && `the server exited with ${exitCode} on SIGTERM`,
    ].filter(Boolean);
    if (problems.length > 0) {
      say(`FAILED: ${problems.join('; ')}`);
      process.exitCode = 1;
    } else {
      say('OK: zero errors, no memory growth beyond noise');
    }
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
