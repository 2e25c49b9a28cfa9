import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort } from '@backend/local-cognito';
import type { LocalStackInfo } from '../../dev/local/local-stack.js';
import { getTokens } from '@backend/local-cognito/testing';
import { builtImages, docker, dockerOk } from '../support/docker.js';
import { authorizeUrl } from '../support/hosted-ui.js';
import { call } from '../support/http.js';
import { claims } from '../support/jwt-claims.js';
import { runScript } from '../support/run-command.js';
import { srpSignIn } from '../support/srp.js';
import { basicAuth, tokenRequest } from '../support/token-endpoint.js';
import { waitFor } from '../support/wait-for.js';

/**
 * docker/compose.yml brought up by Debian's docker-compose (v1), with docker/compose.ci.yml on top
 * (host network, loopback only, ports of this run, images that need no registry) through
 * scripts/docker/compose-host-network.mjs, and used from the host as the README says: a token from
 * `npm run token`, then /api/v1/me; and its pool used as `npm start`'s is, by an unchanged SPA
 * library (SRP), a service (client credentials) and a browser (the Hosted UI page).
 */
const project = `backend-test-${randomBytes(4).toString('hex')}`;
let env: Record<string, string>;
let api: string;
let stackDir: string;
/** docker/local-stack.json with this run's ports in place of the defaults 9229 and 8000. */
let stack: LocalStackInfo;
let stackFile: string;

function compose(args: string[], timeoutMs = 60_000) {
  return docker(['scripts/docker/compose-host-network.mjs', ...args], { command: process.execPath, env, timeoutMs });
}

/** A service's container, found by the labels Compose gives it (quicker than `docker-compose ps`, which renders the files first). */
function containerOf(service: string): Promise<string> {
  return dockerOk([
    'ps',
    '--all',
    '--quiet',
    '--filter',
    `label=com.docker.compose.project=${project}`,
    '--filter',
    `label=com.docker.compose.service=${service}`,
  ]);
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
  stack = {
    ...(JSON.parse(readFileSync('docker/local-stack.json', 'utf8')) as LocalStackInfo),
    endpoint: `http://127.0.0.1:${cognitoPort}`,
    apiUrl: api,
  };
  stackDir = mkdtempSync(join(tmpdir(), 'compose-stack-'));
  stackFile = join(stackDir, 'local-stack.json');
  writeFileSync(stackFile, JSON.stringify(stack));

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
      async () => {
        const response = await call(`${api}/health/ready`);
        expect(response.status).toBe(200);
        return response;
      },
      { timeout: 120_000, interval: 500, message: 'the backend to be ready' },
    ).catch(async (error: Error) => {
      throw new Error(`${error.message}; the stack's logs:\n${(await compose(['logs', '--no-color'])).stdout}`);
    });
    expect(ready.body).toMatchObject({ status: 'ok', details: { database: { status: 'up' }, keys: { status: 'up' } } });
  });

  it('serves /api/v1/me to a token asked for from the host, as the README shows', async () => {
    const token = await runScript('token', ['alice'], { LOCAL_STACK_FILE: stackFile });
    // Only the token on stdout (stderr may carry the AWS SDK's warning about an old Node version).
    expect(token.code).toBe(0);
    expect(token.stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const me = await call(`${api}/api/v1/me`, { token: token.stdout.trim() });
    expect(me).toMatchObject({ status: 200, body: { username: 'alice', sub: '5eed0000-0000-4000-8000-000000000001', groups: [] } });
    expect((await call(`${api}/api/v1/me`)).status).toBe(401);
  });

  it('signs alice in with SRP through amazon-cognito-identity-js, only its endpoint set to the pool, for /api/v1/me', async () => {
    const { session } = await srpSignIn(stack, stack.webClientId, 'alice', 'Alice-pass-1');
    const token = session.getAccessToken();
    expect(token.payload).toMatchObject({ username: 'alice', client_id: stack.webClientId, iss: `${stack.endpoint}/${stack.userPoolId}` });
    const me = await call(`${api}/api/v1/me`, { token: token.getJwtToken() });
    expect(me).toMatchObject({ status: 200, body: { username: 'alice', email: 'alice@example.com' } });
  });

  it('gives the service client a token at POST /oauth2/token (HTTP Basic) that opens the users API, and refuses a wrong secret', async () => {
    // alice's row exists once she has called the API.
    expect((await call(`${api}/api/v1/me`, { token: (await getTokens('alice', undefined, { stackFile })).accessToken })).status).toBe(200);

    const granted = await tokenRequest(
      stack.endpoint,
      { grant_type: 'client_credentials' },
      basicAuth(stack.serviceClientId, stack.serviceClientSecret),
    );
    expect(granted).toMatchObject({ status: 200, body: { token_type: 'Bearer', expires_in: 3600 } });
    const accessToken = granted.body.access_token as string;
    expect(claims(accessToken)).toMatchObject({
      sub: stack.serviceClientId,
      scope: 'backend/users.read',
      iss: `${stack.endpoint}/${stack.userPoolId}`,
    });
    const found = await call<{ items: Array<{ username: string }> }>(`${api}/api/v1/users?username=alice`, { token: accessToken });
    expect(found.status).toBe(200);
    expect(found.body.items).toEqual([expect.objectContaining({ username: 'alice', sub: '5eed0000-0000-4000-8000-000000000001' })]);

    const refused = await tokenRequest(
      stack.endpoint,
      { grant_type: 'client_credentials' },
      basicAuth(stack.serviceClientId, 'not-the-secret'),
    );
    expect(refused).toMatchObject({ status: 400, body: { error: 'invalid_client' } });
  });

  it("answers a dev server's Hosted UI request with the pool's own sign-in page", async () => {
    const response = await fetch(authorizeUrl(stack.endpoint, stack.webClientId, 'http://localhost:5173/callback'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('<title>Sign in · Local Cognito pool</title>');
    expect(html).toContain('<link rel="icon" type="image/svg+xml" href="/favicon.svg">');
    expect(html).toContain('local only · not AWS');
    for (const user of stack.users) expect(html).toContain(`Continue as ${user.username}</button>`);
    const icon = await fetch(`${stack.endpoint}/favicon.svg`);
    expect({ status: icon.status, type: icon.headers.get('content-type') }).toEqual({ status: 200, type: 'image/svg+xml' });
  });

  it('reports its services healthy to Docker, and stops the backend and the pool with exit code 0', async () => {
    const [postgres, cognito, backend] = await Promise.all(['postgres', 'cognito', 'backend'].map(containerOf));
    expect(await dockerOk(['inspect', '--format', '{{.State.Status}}', backend])).toBe('running');
    for (const id of [postgres, cognito]) expect(await dockerOk(['inspect', '--format', '{{.State.Health.Status}}', id])).toBe('healthy');
    const stopped = await compose(['stop', '--timeout', '20', 'backend', 'cognito'], 60_000);
    expect(stopped.code).toBe(0);
    for (const [service, id] of Object.entries({ backend, cognito })) {
      expect({ service, exitCode: await dockerOk(['inspect', '--format', '{{.State.ExitCode}}', id]) }).toEqual({ service, exitCode: '0' });
    }
  });
});
