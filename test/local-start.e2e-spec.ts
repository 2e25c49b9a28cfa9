import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '@backend/local-cognito';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { waitFor } from './support/wait-for.js';

/** `npm start`'s entry point, compiled by the global setup (npm start runs the same file from dist/). */
const START_LOCAL = resolve('node_modules/.cache/jest/server/dev/local/start-local.js');
const READY_TIMEOUT_MS = 40_000;

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs `npm start` in `checkout` (its .data/ is there) with the environment given on top of a clean one. */
function npmStart(checkout: string, env: Record<string, string>): Started {
  const child = spawn(process.execPath, [START_LOCAL], {
    cwd: checkout,
    env: { PATH: process.env.PATH, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output, exited: new Promise((done) => child.once('close', (code) => done(code))) };
}

/** Something else listening on a port, as another program would. */
async function occupy(): Promise<{ port: number; server: Server }> {
  const port = await freePort();
  const server = createServer();
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  return { port, server };
}

function checkout(): string {
  const dir = mkdtempSync(join(tmpdir(), 'checkout-'));
  chmodSync(dir, 0o755);
  return dir;
}

describe('npm start refuses clearly what it cannot do', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it.each([
    [
      'LOCAL_COGNITO_PORT',
      'the local Cognito pool',
      (port: number, api: number) => ({ LOCAL_COGNITO_PORT: String(port), PORT: String(api), DATABASE_URL: db.url }),
    ],
    [
      'LOCAL_DATABASE_PORT',
      'the embedded PostgreSQL',
      (port: number, api: number) => ({ LOCAL_DATABASE_PORT: String(port), PORT: String(api) }),
    ],
    ['PORT', 'the API', (port: number) => ({ PORT: String(port), DATABASE_URL: db.url })],
  ])(
    'names a busy %s in one line and exits 1',
    async (variable, what, env) => {
      const busy = await occupy();
      try {
        const run = npmStart(checkout(), env(busy.port, await freePort()));
        expect(await run.exited).toBe(1);
        expect(run.output()).toContain(
          `Port ${busy.port} (${what}) is already in use on 127.0.0.1: stop what listens there, or set ${variable} to a free port.\n`,
        );
        expect(run.output()).not.toMatch(/UnhandledPromiseRejection|at .*\.js:\d+/);
      } finally {
        busy.server.close();
      }
    },
    60_000,
  );

  it('refuses a second start in the same checkout, naming the first one, and the first one keeps running', async () => {
    const dir = checkout();
    const firstApi = await freePort();
    const first = npmStart(dir, { PORT: String(firstApi), LOCAL_COGNITO_PORT: String(await freePort()), DATABASE_URL: db.url });
    try {
      await waitFor(
        () => {
          if (first.child.exitCode !== null) return;
          expect(first.output()).toMatch(/Ready in/);
        },
        { timeout: READY_TIMEOUT_MS, interval: 200, message: 'the first npm start to be ready' },
      );
      expect(first.output()).toMatch(/Ready in/);

      const second = npmStart(dir, { PORT: String(await freePort()), LOCAL_COGNITO_PORT: String(await freePort()), DATABASE_URL: db.url });
      expect(await second.exited).toBe(1);
      const pid = first.child.pid!;
      expect(second.output()).toBe(
        `npm start already runs in this checkout (pid ${pid}, API on port ${firstApi}): stop it first (Ctrl+C in its terminal, or kill ${pid}).\n`,
      );
      expect((await fetch(`http://127.0.0.1:${firstApi}/health/live`)).status).toBe(200);
    } finally {
      first.child.kill('SIGTERM');
      await first.exited;
    }
    // Stopped, it leaves the checkout free for the next start.
    expect(existsSync(join(dir, '.data', 'npm-start.pid'))).toBe(false);
  }, 90_000);
});
