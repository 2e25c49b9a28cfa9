import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { loadConfig } from '../src/config/load-config.js';
import { startCognitoEmulator, type CognitoEmulator } from '../dev/local/cognito-emulator.js';
import { LOCAL_DEV_ORIGINS } from '../dev/local/local-stack.js';
import { getTokens } from '../dev/testing/local-pool.mjs';
import { freePort } from '../dev/local/free-port.js';
import { claims } from './support/jwt-claims.js';

/**
 * Without Docker (this is part of `npm test`): the files say what the README promises, they agree
 * with each other, and the compose stack's pool works in the very emulator the image runs. The
 * images and the compose stack run for real in `npm run test:docker` (test/docker/).
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
const emulatorConfig = JSON.parse(readFileSync('docker/cognito/config.json', 'utf8')) as { TokenConfig: { IssuerDomain: string } };
const clients = JSON.parse(readFileSync('docker/cognito/db/clients.json', 'utf8')) as {
  Clients: Record<string, { UserPoolId: string; ClientName: string }>;
};
const composeStack = JSON.parse(readFileSync('docker/local-stack.json', 'utf8')) as {
  endpoint: string;
  userPoolId: string;
  backendClientId: string;
};
const backendEnv = compose.services.backend.environment!;

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
    expect((all.get('production-deps') ?? []).some((line) => /^RUN npm prune --omit=dev --omit=optional\b/.test(line))).toBe(true);
    expect(runtime.filter((line) => line.startsWith('COPY --from='))).toEqual([
      'COPY --from=production-deps /app/node_modules ./node_modules',
      'COPY --from=build /app/dist/src ./dist/src',
      'COPY --from=build /app/dist/migrations ./dist/migrations',
      'COPY --from=build /app/dist/admin ./dist/admin',
    ]);
    expect(runtime).toContain('USER node');
    const cmd = runtime.find((line) => line.startsWith('CMD'));
    expect(JSON.parse(cmd!.slice(3))).toEqual(['node', 'dist/src/main.js']);
    expect(JSON.parse(readFileSync('package.json', 'utf8')).scripts['start:prod']).toBe('node dist/src/main.js');
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

  it('expects the very issuer the emulator writes into its tokens', () => {
    const config = loadConfig(backendEnv);
    expect(emulatorConfig.TokenConfig.IssuerDomain).toBe(backendEnv.COGNITO_ENDPOINT);
    expect(config.cognito.issuer).toBe(`${emulatorConfig.TokenConfig.IssuerDomain}/${backendEnv.COGNITO_USER_POOL_ID}`);
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

describe("the compose stack's pool in the emulator", () => {
  let emulator: CognitoEmulator;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-pool-'));
    cpSync('docker/cognito/db', join(dir, '.cognito', 'db'), { recursive: true });
    emulator = await startCognitoEmulator(dir, await freePort(), emulatorConfig);
  });
  afterAll(async () => {
    await emulator.stop();
  });

  it('signs the seeded users in through the backend client, with the issuer the backend expects', async () => {
    const options = { stackFile: 'docker/local-stack.json', endpoint: emulator.endpoint };
    const expected = loadConfig(backendEnv).cognito;
    const admin = claims((await getTokens('admin', undefined, options)).accessToken);
    expect(admin).toMatchObject({
      iss: expected.issuer,
      client_id: 'local_backend_client',
      token_use: 'access',
      'cognito:groups': ['admin'],
    });
    expect(expected.clientIds).toContain(admin.client_id);
    const alice = claims((await getTokens('alice', undefined, options)).accessToken);
    expect(alice).toMatchObject({ iss: expected.issuer, username: 'alice', sub: '5eed0000-0000-4000-8000-000000000001' });
  });
});
