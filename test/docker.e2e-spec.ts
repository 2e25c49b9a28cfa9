import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { load } from 'js-yaml';
import { loadConfig } from '../src/config/load-config.js';
import { LOCAL_DEV_ORIGINS } from '../dev/local/local-stack.js';
import { getClientToken, getTokens } from '@backend/local-cognito/testing';
import { freePort } from '../dev/local/free-port.js';
import { claims } from './support/jwt-claims.js';

/**
 * Without Docker (this is part of `npm test`): the files say what the README promises, they agree
 * with each other, and the compose stack's pool works in the very pool server the image runs, with
 * compose.yml's issuer (a host name that only exists on a compose network, which the Docker suite
 * cannot use). The images and the compose stack run for real in `npm run test:docker` (test/docker/).
 */
interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; target: string };
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
}

const root = process.cwd();
const compose = load(readFileSync('docker/compose.yml', 'utf8')) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
};
const dockerfile = readFileSync('docker/Dockerfile', 'utf8');
const clients = JSON.parse(readFileSync('docker/cognito/db/clients.json', 'utf8')) as {
  Clients: Record<string, { UserPoolId: string; ClientName: string }>;
};
const composeStack = JSON.parse(readFileSync('docker/local-stack.json', 'utf8')) as {
  endpoint: string;
  userPoolId: string;
  backendClientId: string;
};
const backendEnv = compose.services.backend.environment!;
const poolEnv = compose.services.cognito.environment!;

/** The Dockerfile's stages, each with its instructions (continuation lines joined). */
function stages(): Map<string, string[]> {
  const result = new Map<string, string[]>();
  let current: string[] = [];
  const lines = dockerfile
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.trim());
  for (const line of lines.filter((candidate) => candidate && !candidate.startsWith('#'))) {
    const from = /^FROM\s+\S+\s+AS\s+(\S+)$/i.exec(line);
    if (from) result.set(from[1], (current = []));
    else current.push(line);
  }
  return result;
}

describe('docker/Dockerfile', () => {
  const all = stages();
  const runtime = all.get('runtime') ?? [];

  it('builds the production image by default: runtime is the last stage', () => {
    expect([...all.keys()]).toEqual(['deps', 'build', 'production-deps', 'cognito-emulator', 'runtime']);
  });

  it('runs the compiled server as an unprivileged user, with production dependencies only', () => {
    expect(runtime).toContain('ENV NODE_ENV=production');
    expect((all.get('production-deps') ?? []).some((line) => /^RUN .*\bnpm prune --omit=dev --omit=optional\b/.test(line))).toBe(true);
    expect(runtime.filter((line) => line.startsWith('COPY --from='))).toEqual([
      'COPY --from=production-deps /app/node_modules ./node_modules',
      'COPY --from=build /app/dist/src ./dist/src',
      'COPY --from=build /app/dist/migrations ./dist/migrations',
      'COPY --from=build /app/dist/admin ./dist/admin',
    ]);
    expect(runtime).toContain('USER node');
    const cmd = runtime.find((line) => line.startsWith('CMD'));
    // The image runs the server exactly as start:prod does, heap options included.
    const startProd: string = JSON.parse(readFileSync('package.json', 'utf8')).scripts['start:prod'];
    expect(JSON.parse(cmd!.slice(3))).toEqual(startProd.split(/\s+/));
    expect(startProd).toMatch(/^node (--[\w-]+=\d+ )*dist\/src\/main\.js$/);
  });

  it('gives the build stage every local file that `npm run build` reads', () => {
    const build = (all.get('build') ?? []).filter((line) => line.startsWith('COPY')).join(' ');
    const script: string = JSON.parse(readFileSync('package.json', 'utf8')).scripts.build;
    const files = script.match(/[\w.-]+\/[\w./-]+\.m?js|tsconfig[\w.]*\.json/g) ?? [];
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const copied = build.includes(` ${file} `) || build.includes(` ${file.split('/')[0]} `);
      expect({ file, copied }).toEqual({ file, copied: true });
    }
  });

  it('checks /health/live with node, since slim images have no curl', () => {
    const healthcheck = runtime.find((line) => line.startsWith('HEALTHCHECK'));
    expect(healthcheck).toMatch(/CMD \["node", "-e", .*\/health\/live/);
  });

  it('runs the local pool of `npm start` in the emulator image, built from its package, listening beyond its container', () => {
    const emulator = all.get('cognito-emulator') ?? [];
    expect(emulator).toContain('RUN npm run build -w @backend/local-cognito');
    const cmd = emulator.find((line) => line.startsWith('CMD'));
    expect(JSON.parse(cmd!.slice(3))).toEqual(['node', '/app/packages/local-cognito/dist/server.js']);
    expect(emulator).toContain('ENV HOST=0.0.0.0 PORT=9229 DATA_DIR=/emulator');
  });

  it('copies only files that exist', () => {
    const sources = [...all.values()]
      .flat()
      .filter((line) => line.startsWith('COPY') && !line.startsWith('COPY --from='))
      .flatMap((line) => line.replace(/--\S+/g, '').trim().split(/\s+/).slice(1, -1));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect({ source, exists: existsSync(join(root, source)) }).toEqual({ source, exists: true });
  });
});

describe('docker/compose.yml', () => {
  it("has PostgreSQL, the emulator and the backend, built from the Dockerfile's stages", () => {
    expect(Object.keys(compose.services).sort()).toEqual(['backend', 'cognito', 'postgres']);
    for (const name of ['cognito', 'backend']) {
      const build = compose.services[name].build!;
      expect(existsSync(join(root, 'docker', build.context, build.dockerfile))).toBe(true);
      expect(stages().has(build.target)).toBe(true);
    }
    expect(compose.services.backend.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      cognito: { condition: 'service_healthy' },
    });
    expect(
      stages()
        .get('cognito-emulator')!
        .some((line) => line.startsWith('HEALTHCHECK')),
    ).toBe(true);
  });

  it("keeps the emulator's state in a volume that starts as the image's seeded pool", () => {
    const emulatorStage = stages().get('cognito-emulator')!;
    expect(emulatorStage).toContain('WORKDIR /emulator');
    expect(emulatorStage).toContain('COPY --chown=node:node docker/cognito/ .cognito/');
    expect(compose.services.cognito.volumes).toEqual(['cognito-data:/emulator/.cognito/db']);
    expect(Object.keys(compose.volumes)).toContain('cognito-data');
  });

  it("publishes the emulator and the API on the host's loopback only, and PostgreSQL not at all", () => {
    expect(compose.services.cognito.ports).toEqual(['127.0.0.1:9229:9229']);
    expect(compose.services.backend.ports).toEqual(['127.0.0.1:8000:8000']);
    expect(compose.services.postgres.ports).toBeUndefined();
    expect(composeStack.endpoint).toBe('http://127.0.0.1:9229');
  });

  it('configures the backend validly, out of production mode, listening beyond its container', () => {
    expect(backendEnv.NODE_ENV).not.toBe('production');
    const config = loadConfig(backendEnv);
    expect(config).toMatchObject({ production: false, host: '0.0.0.0', port: 8000, corsOrigins: LOCAL_DEV_ORIGINS });
  });

  it('expects the very issuer the pool writes into its tokens', () => {
    const config = loadConfig(backendEnv);
    expect(poolEnv.ISSUER_BASE).toBe(backendEnv.COGNITO_ENDPOINT);
    expect(config.cognito.issuer).toBe(`${poolEnv.ISSUER_BASE}/${backendEnv.COGNITO_USER_POOL_ID}`);
    expect(new URL(backendEnv.COGNITO_ENDPOINT).hostname).toBe('cognito');
  });

  it('names the pool and clients of docker/cognito and docker/local-stack.json', () => {
    const poolId = backendEnv.COGNITO_USER_POOL_ID;
    expect(existsSync(join(root, 'docker/cognito/db', `${poolId}.json`))).toBe(true);
    for (const clientId of [...backendEnv.COGNITO_CLIENT_IDS.split(','), backendEnv.COGNITO_WEB_CLIENT_ID]) {
      expect(clients.Clients[clientId]?.UserPoolId).toBe(poolId);
    }
    expect(composeStack.userPoolId).toBe(poolId);
    expect(clients.Clients[composeStack.backendClientId]).toMatchObject({ UserPoolId: poolId, ClientName: 'backend' });
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
    const deadline = Date.now() + 60_000;
    while (!server.output.includes('Local Cognito pool on')) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`The pool server did not start:\n${server.output}`);
      await new Promise((done) => setTimeout(done, 100));
    }
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
