import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { load } from 'js-yaml';
import { loadConfig } from '../src/config/load-config.js';
import { getClientToken, getTokens } from '@backend/local-cognito/testing';
import { freePort } from '@backend/local-cognito';
import { claims } from './support/jwt-claims.js';
import { waitFor } from './support/wait-for.js';

/**
 * Without Docker (this is part of `npm test`): the compose stack's pool works in the very pool server
 * the image runs, with compose.yml's environment and issuer (a host name that only exists on a compose
 * network, which the Docker suite cannot use). The images and the compose stack run for real in
 * `npm run test:docker` (test/docker/).
 */
interface ComposeService {
  ports?: string[];
  environment?: Record<string, string>;
}

const compose = load(readFileSync('docker/compose.yml', 'utf8')) as { services: Record<string, ComposeService> };
const backendEnv = compose.services.backend.environment!;
const poolEnv = compose.services.cognito.environment!;

// The Docker suite runs the stack on the host's network, where published ports mean nothing: checked here.
describe('docker/compose.yml', () => {
  it("publishes the emulator and the API on the host's loopback only, and PostgreSQL not at all", () => {
    expect(compose.services.cognito.ports).toEqual(['127.0.0.1:9229:9229']);
    expect(compose.services.backend.ports).toEqual(['127.0.0.1:8000:8000']);
    expect(compose.services.postgres.ports).toBeUndefined();
  });
});

/** Built by the global setup (test/support/global-setup.mjs), as the image builds it. */
const POOL_SERVER = resolve('packages/local-cognito/dist/server.js');

/** The local pool's server entry as the image runs it, with compose.yml's environment. */
class PoolServer {
  output = '';
  readonly exited: Promise<number | null>;

  constructor(
    private readonly child: ChildProcess,
    readonly endpoint: string,
  ) {
    child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((done) => child.once('exit', (code) => done(code)));
  }

  static async start(dataDir: string): Promise<PoolServer> {
    const port = await freePort();
    const child = spawn(process.execPath, [POOL_SERVER], {
      env: { PATH: process.env.PATH, ...poolEnv, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new PoolServer(child, `http://127.0.0.1:${port}`);
    await waitFor(
      () => {
        if (child.exitCode === null) expect(server.output).toContain('Local Cognito pool on');
      },
      { timeout: 60_000, interval: 100, message: 'the pool server to start' },
    ).catch((error: Error) => {
      throw new Error(`${error.message}:\n${server.output}`);
    });
    if (child.exitCode !== null) throw new Error(`The pool server exited with code ${child.exitCode}:\n${server.output}`);
    return server;
  }

  signal(name: NodeJS.Signals): void {
    this.child.kill(name);
  }
}

describe("the compose stack's pool, in the pool server its image runs", () => {
  let dir: string;
  let pool: PoolServer;
  const options = () => ({ stackFile: 'docker/local-stack.json', endpoint: pool.endpoint });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'compose-pool-'));
    cpSync('docker/cognito/db', join(dir, '.cognito', 'db'), { recursive: true });
    pool = await PoolServer.start(dir);
  });
  afterAll(async () => {
    pool.signal('SIGKILL');
    await pool.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs the seeded users in through the backend client, with the issuer the backend expects', async () => {
    const expected = loadConfig(backendEnv).cognito;
    const admin = claims((await getTokens('admin', undefined, options())).accessToken);
    expect(admin).toMatchObject({
      iss: expected.issuer,
      client_id: 'local_backend_client',
      token_use: 'access',
      'cognito:groups': ['admin'],
    });
    expect(expected.clientIds).toContain(admin.client_id);
    const alice = claims((await getTokens('alice', undefined, options())).accessToken);
    expect(alice).toMatchObject({ iss: expected.issuer, username: 'alice', sub: '5eed0000-0000-4000-8000-000000000001' });
  });

  it("signs sam in to the pool staff, with the staff issuer and client the backend's COGNITO_STAFF_* expect", async () => {
    const expected = loadConfig(backendEnv).pools.find((pool) => pool.name === 'staff')!;
    expect(expected.issuer).not.toBe(loadConfig(backendEnv).cognito.issuer);
    const sam = claims((await getTokens('sam', undefined, { ...options(), pool: 'staff' })).accessToken);
    expect(sam).toMatchObject({
      iss: expected.issuer,
      username: 'sam',
      'cognito:groups': ['admin'],
      sub: '5eed0000-0000-4000-8000-000000000003',
    });
    expect(expected.clientIds).toContain(sam.client_id);
  });

  it("issues the service client's machine tokens with that issuer too", async () => {
    const expected = loadConfig(backendEnv).cognito;
    const { accessToken } = await getClientToken(options());
    expect(claims(accessToken)).toMatchObject({ iss: expected.issuer, sub: 'local_service_client', scope: 'backend/users.read' });
    expect(expected.clientIds).toContain('local_service_client');
  });

  it('stops with exit code 0 on SIGTERM', async () => {
    pool.signal('SIGTERM');
    expect(await pool.exited).toBe(0);
    await expect(fetch(`${pool.endpoint}/health`)).rejects.toThrow();
    expect(pool.output).not.toMatch(/error/i);
  });
});
