import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FakePool } from './support/fake-pool.js';
import { call } from './support/http.js';
import { ServerProcess } from './support/server-process.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/** `npm run start:prod` as package.json says, split into Node's arguments (`node` itself is the test's Node). */
function startProdArgs(): string[] {
  const script = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts['start:prod'];
  const [node, ...args] = script.split(/\s+/);
  expect(node).toBe('node');
  return args;
}

/** A directory laid out as a deployment: `dist/` (the tests' compiled server) and, if given, a `.env` file. */
function deployment(dotenv?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'start-prod-'));
  symlinkSync(resolve('node_modules/.cache/jest/server'), join(dir, 'dist'));
  if (dotenv !== undefined) writeFileSync(join(dir, '.env'), dotenv);
  return dir;
}

describe('npm run start:prod and the production entry', () => {
  it('refuses a non-https COGNITO_ENDPOINT and a missing DATABASE_URL, listing both, with exit code 1', () => {
    const result = spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'src/main.ts'], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        COGNITO_REGION: 'us-west-2',
        COGNITO_USER_POOL_ID: 'local_abc123',
        COGNITO_CLIENT_IDS: 'client-a',
        COGNITO_ENDPOINT: 'http://127.0.0.1:9229',
      },
      encoding: 'utf8',
      timeout: 60_000, // tsx compiles the server first: seconds of CPU on a busy machine
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid configuration');
    expect(result.stderr).toContain('DATABASE_URL is required');
    expect(result.stderr).toContain('COGNITO_ENDPOINT must be https in production');
    expect(result.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  }, 90_000);

  describe('npm run start:prod', () => {
    const pool = new FakePool();
    let db: TestDatabase;
    const dirs: string[] = [];
    const inDeployment = (dotenv?: string) => {
      const dir = deployment(dotenv);
      dirs.push(dir);
      return dir;
    };

    beforeAll(async () => {
      await pool.start();
      db = await createTestDatabase();
    });
    afterAll(async () => {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
      await db?.drop();
      await pool.stop();
    });

    it('reads .env when there is one, and a variable set in the environment wins over the file', async () => {
      const settings = { ...pool.env(), DATABASE_URL: db.url, LOG_LEVEL: 'warn', PORT: '1', HOST: '203.0.113.1' };
      const dotenv = Object.entries(settings)
        .map(([name, value]) => `${name}=${value}`)
        .join('\n');
      // Only PORT and HOST come from the environment (ServerProcess sets them); the rest is the file's.
      const server = await ServerProcess.start({}, { args: startProdArgs(), cwd: inDeployment(`${dotenv}\n`) });
      try {
        const token = pool.mint();
        expect((await call(`${server.url}/api/v1/me`, { token })).status).toBe(200);
        expect(server.logs().every((line) => line.level >= 40)).toBe(true); // LOG_LEVEL=warn, from the file
      } finally {
        expect(await server.stop()).toBe(0);
      }
    });

    it('starts from the environment alone when there is no .env', async () => {
      const server = await ServerProcess.start({ ...pool.env(), DATABASE_URL: db.url }, { args: startProdArgs(), cwd: inDeployment() });
      expect((await call(`${server.url}/health/live`)).status).toBe(200);
      expect(await server.stop()).toBe(0);
    });

    it('names a bad PORT in one line, with exit code 1 and no stack trace', () => {
      const result = spawnSync(process.execPath, startProdArgs(), {
        cwd: inDeployment(),
        env: { PATH: process.env.PATH, ...pool.env(), DATABASE_URL: db.url, PORT: 'abc' },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/^ {2}- PORT must be an integer from 0 to 65535 \(got "abc"\)$/m);
      expect(result.stderr.split('\n').filter((line) => line.includes('PORT'))).toHaveLength(1);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });
  });
});

describe('npm start', () => {
  /** `npm start`'s entry point, compiled by the global setup (npm start runs the same file from dist/). */
  const START_LOCAL = resolve('node_modules/.cache/jest/server/dev/local/start-local.js');

  it.each(['abc', '70000', '8000.5'])('names a bad PORT (%s) in one line, with exit code 1, before starting anything', (port) => {
    const dir = mkdtempSync(join(tmpdir(), 'npm-start-'));
    try {
      const result = spawnSync(process.execPath, [START_LOCAL], {
        cwd: dir,
        env: { PATH: process.env.PATH, PORT: port },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toBe(`PORT must be a port number from 1 to 65535 (got "${port}").\n`);
      expect(result.stdout).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
