import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort } from '../../dev/local/free-port.js';
import { builtImages, docker, dockerOk, waitFor } from '../support/docker.js';
import { call } from '../support/http.js';
import { runScript } from '../support/run-command.js';

/**
 * docker/compose.yml brought up by Debian's docker-compose (v1), with docker/compose.ci.yml on top
 * (host network, loopback only, ports of this run, images that need no registry) through
 * scripts/docker/compose-host-network.mjs, and used from the host as the README says: a token from
 * `npm run token`, then /api/v1/me.
 */
const project = `backend-test-${randomBytes(4).toString('hex')}`;
let env: Record<string, string>;
let api: string;
let stackDir: string;

function compose(args: string[], timeoutMs = 60_000) {
  return docker(['scripts/docker/compose-host-network.mjs', ...args], { command: process.execPath, env, timeoutMs });
}

beforeAll(async () => {
  const [apiPort, cognitoPort, postgresPort] = [await freePort(), await freePort(), await freePort()];
  env = {
    COMPOSE_PROJECT_NAME: project,
    NODE_IMAGE: builtImages().nodeImage,
    STACK_API_PORT: String(apiPort),
    STACK_COGNITO_PORT: String(cognitoPort),
    STACK_POSTGRES_PORT: String(postgresPort),
  };
  api = `http://127.0.0.1:${apiPort}`;
  // docker/local-stack.json with this run's ports in place of the defaults 9229 and 8000.
  const stack = JSON.parse(readFileSync('docker/local-stack.json', 'utf8')) as Record<string, unknown>;
  stackDir = mkdtempSync(join(tmpdir(), 'compose-stack-'));
  writeFileSync(join(stackDir, 'local-stack.json'), JSON.stringify({ ...stack, endpoint: `http://127.0.0.1:${cognitoPort}`, apiUrl: api }));

  const up = await compose(['up', '--detach', '--build'], 15 * 60_000);
  if (up.code !== 0) throw new Error(`docker-compose up failed:\n${up.stderr}${up.stdout}`);
});

afterAll(async () => {
  if (env) await compose(['down', '--volumes', '--rmi', 'local', '--timeout', '20'], 120_000);
  if (stackDir) rmSync(stackDir, { recursive: true, force: true });
});

describe('the compose stack', () => {
  it('starts PostgreSQL, the emulator and the backend, which turns ready', async () => {
    const ids = (await dockerOk(['ps', '--quiet', '--filter', `label=com.docker.compose.project=${project}`])).split('\n').filter(Boolean);
    expect(ids).toHaveLength(3);
    const ready = await waitFor(
      'the backend to be ready',
      async () => {
        const response = await call(`${api}/health/ready`);
        return response.status === 200 ? response : undefined;
      },
      120_000,
      500,
    ).catch(async (error: Error) => {
      throw new Error(`${error.message}; the stack's logs:\n${(await compose(['logs', '--no-color'])).stdout}`);
    });
    expect(ready.body).toMatchObject({ status: 'ok', details: { database: { status: 'up' }, keys: { status: 'up' } } });
  });

  it('serves /api/v1/me to a token asked for from the host, as the README shows', async () => {
    const token = await runScript('token', ['alice'], { LOCAL_STACK_FILE: join(stackDir, 'local-stack.json') });
    // Only the token on stdout (stderr may carry the AWS SDK's warning about an old Node version).
    expect(token.code).toBe(0);
    expect(token.stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const me = await call(`${api}/api/v1/me`, { token: token.stdout.trim() });
    expect(me).toMatchObject({ status: 200, body: { username: 'alice', sub: '5eed0000-0000-4000-8000-000000000001', groups: [] } });
    expect((await call(`${api}/api/v1/me`)).status).toBe(401);
  });

  it('reports its services healthy to Docker, and stops them with exit code 0', async () => {
    const states = await compose(['ps']);
    expect(states.stdout).toMatch(/backend.*Up/);
    for (const service of ['postgres', 'cognito']) {
      const id = (await compose(['ps', '--quiet', service])).stdout.trim();
      expect(await dockerOk(['inspect', '--format', '{{.State.Health.Status}}', id])).toBe('healthy');
    }
    const backend = (await compose(['ps', '--quiet', 'backend'])).stdout.trim();
    const stopped = await compose(['stop', '--timeout', '20', 'backend'], 60_000);
    expect(stopped.code).toBe(0);
    expect(await dockerOk(['inspect', '--format', '{{.State.ExitCode}}', backend])).toBe('0');
  });
});
