import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@backend/local-cognito';
import type { LocalStackInfo } from '../../dev/local/local-stack.js';
import { createUser, getTokens } from '@backend/local-cognito/testing';
import { builtImages, Container, docker, dockerOk } from '../support/docker.js';
import { call } from '../support/http.js';
import { waitFor } from '../support/wait-for.js';
import { steadyLoad, tally, type LoadOutcome, type LoadRun } from '../support/steady-load.js';

/**
 * docker/compose.scale.yml for real: three instances behind HAProxy (health-checking /health/ready),
 * PgBouncer in transaction mode in front of PostgreSQL, DATABASE_LISTEN_URL past it. A bounded load
 * (a few workers, one request at a time each) goes through the load balancer while instances are
 * restarted one by one, one is killed, PostgreSQL is restarted; each case prints its figures.
 */
const project = `backend-scale-${randomBytes(4).toString('hex')}`;
const SERVICES = ['api-1', 'api-2', 'api-3'] as const;
type Service = (typeof SERVICES)[number];
const WORKERS = 6;
const PASSWORD = 'Scale-out-pass-1';

let env: Record<string, string>;
let lb: string;
let stats: string;
let ports: Record<string, number>;
const instance = {} as Record<Service, string>;
let stackDir: string;
let stackFile: string;
const tokens = {} as Record<'alice' | 'admin' | 'carol' | 'dave', string>;

function compose(args: string[], timeoutMs = 120_000) {
  return docker(['-p', project, '-f', 'docker/compose.scale.yml', ...args], { command: 'docker-compose', env, timeoutMs });
}

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

/** Each instance's state as HAProxy sees it: UP, DOWN, "UP 1/2" (going down), ... */
async function balancerStates(): Promise<Record<string, string>> {
  const [header, ...rows] = (await (await fetch(`${stats}/stats;csv`)).text()).trim().split('\n');
  const columns = header.replace(/^# /, '').split(',');
  const [proxy, server, status] = ['pxname', 'svname', 'status'].map((name) => columns.indexOf(name));
  const states: Record<string, string> = {};
  for (const row of rows.map((line) => line.split(','))) if (row[proxy] === 'instances') states[row[server]] = row[status];
  return states;
}

function balancerSees(service: Service, state: (status: string) => boolean, timeoutMs = 90_000, intervalMs = 100): Promise<number> {
  return until(
    `HAProxy to see ${service} as wanted`,
    async () => (state((await balancerStates())[service] ?? '') ? Date.now() : undefined),
    timeoutMs,
    intervalMs,
  );
}

/** The load of the running case, stopped after it whatever happened. */
let load: LoadRun | undefined;
function startLoad(...args: Parameters<typeof steadyLoad>): LoadRun {
  load = steadyLoad(...args);
  return load;
}

afterEach(async () => {
  await load?.stop();
  load = undefined;
  // A case that failed half-way leaves every instance running for the next.
  for (const service of SERVICES) {
    const id = await containerOf(service);
    if ((await dockerOk(['inspect', '--format', '{{.State.Running}}', id])) !== 'true') {
      await dockerOk(['start', id]);
      await balancerSees(service, (status) => status === 'UP');
    }
  }
}, 200_000);

/** Polls `check` until it returns a value, or fails after `timeout` ms naming `what`. */
function until<T>(what: string, check: () => Promise<T | undefined>, timeout: number, interval = 100): Promise<T> {
  return waitFor(
    async () => {
      const value = await check();
      if (value === undefined) throw new Error('not yet');
      return value;
    },
    { message: what, timeout, interval },
  );
}

const failed = (outcomes: LoadOutcome[]) => outcomes.filter((outcome) => outcome.status !== 200);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** The load of most cases: people's own profiles through the load balancer. */
function profileLoad() {
  const people = [tokens.alice, tokens.admin];
  return startLoad((index) => ({ url: `${lb}/api/v1/me`, token: people[index % people.length] }), { workers: WORKERS });
}

beforeAll(async () => {
  const names = ['lb', 'stats', 'api1', 'api2', 'api3', 'pgbouncer', 'postgres', 'cognito'];
  ports = {};
  for (const name of names) ports[name] = await freePort();
  const images = builtImages();
  env = {
    COMPOSE_PROJECT_NAME: project,
    NODE_IMAGE: images.nodeImage,
    API_IMAGE: images.backend,
    EMULATOR_IMAGE: images.emulator,
    STACK_API_PORT: String(ports.lb),
    STACK_LB_STATS_PORT: String(ports.stats),
    STACK_API_1_PORT: String(ports.api1),
    STACK_API_2_PORT: String(ports.api2),
    STACK_API_3_PORT: String(ports.api3),
    STACK_PGBOUNCER_PORT: String(ports.pgbouncer),
    STACK_POSTGRES_PORT: String(ports.postgres),
    STACK_COGNITO_PORT: String(ports.cognito),
  };
  lb = `http://127.0.0.1:${ports.lb}`;
  stats = `http://127.0.0.1:${ports.stats}`;
  SERVICES.forEach((service, index) => (instance[service] = `http://127.0.0.1:${ports[`api${index + 1}`]}`));
  stackDir = mkdtempSync(join(tmpdir(), 'scale-stack-'));
  stackFile = join(stackDir, 'local-stack.json');
  const stack = JSON.parse(readFileSync('docker/local-stack.json', 'utf8')) as LocalStackInfo;
  writeFileSync(stackFile, JSON.stringify({ ...stack, endpoint: `http://127.0.0.1:${ports.cognito}`, apiUrl: lb }));

  const up = await compose(['up', '--detach'], 10 * 60_000);
  if (up.code !== 0) throw new Error(`docker-compose up failed:\n${up.stderr}${up.stdout}`);
  try {
    for (const service of SERVICES) await balancerSees(service, (status) => status === 'UP', 180_000, 500);
  } catch (error) {
    throw new Error(`${(error as Error).message}; the stack's logs:\n${(await compose(['logs', '--no-color', '--tail', '60'])).stdout}`, {
      cause: error,
    });
  }
  const suffix = randomBytes(3).toString('hex');
  for (const name of ['carol', 'dave'] as const) {
    const username = `${name}-${suffix}`;
    await createUser({ username, password: PASSWORD, attributes: { email: `${username}@example.com` } }, { stackFile });
    tokens[name] = (await getTokens(username, PASSWORD, { stackFile })).accessToken;
  }
  tokens.alice = (await getTokens('alice', undefined, { stackFile })).accessToken;
  tokens.admin = (await getTokens('admin', undefined, { stackFile })).accessToken;
}, 15 * 60_000);

afterAll(async () => {
  if (env) await compose(['down', '--volumes', '--timeout', '5'], 180_000);
  if (stackDir) rmSync(stackDir, { recursive: true, force: true });
}, 200_000);

describe('three instances behind HAProxy, PostgreSQL behind PgBouncer (docker/compose.scale.yml)', () => {
  it('serves through the load balancer from every instance, each ready with notifications arriving past PgBouncer', async () => {
    for (const service of SERVICES) {
      const ready = await call<{ details: { notifications: { state: string } } }>(`${instance[service]}/health/ready`);
      expect({ service, status: ready.status, notifications: ready.body.details.notifications }).toEqual({
        service,
        status: 200,
        notifications: { status: 'up', state: 'arriving' },
      });
      // Queries through PgBouncer in transaction mode: a write (first sight of a person) and reads.
      expect((await call(`${instance[service]}/api/v1/me`, { token: tokens.alice })).status).toBe(200);
      expect((await call(`${instance[service]}/api/v1/admin/users?pageSize=5`, { token: tokens.admin })).status).toBe(200);
    }
    const answers = await Promise.all(Array.from({ length: 9 }, () => call(`${lb}/api/v1/me`, { token: tokens.alice })));
    expect(answers.map((answer) => answer.status)).toEqual(Array(9).fill(200));
  });

  it('an instance that LISTENs through PgBouncer (no DATABASE_LISTEN_URL) notices and says so at /health/ready', async () => {
    const port = await freePort();
    const container = await Container.run(builtImages().backend, {
      env: {
        NODE_ENV: 'development',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: `postgres://backend:backend@127.0.0.1:${ports.pgbouncer}/backend`,
        COGNITO_REGION: 'us-east-1',
        COGNITO_USER_POOL_ID: 'local_backend',
        COGNITO_CLIENT_IDS: 'local_backend_client',
        COGNITO_ENDPOINT: `http://127.0.0.1:${ports.cognito}`,
      },
    });
    try {
      const ready = await until(
        'the instance to answer /health/ready',
        async () => {
          const response = await call<{ code: string; message: string }>(`http://127.0.0.1:${port}/health/ready`);
          return response.body.message?.includes('notifications') ? response : undefined;
        },
        120_000,
        500,
      );
      console.log(`PgBouncer in the way of LISTEN: /health/ready ${ready.status}: ${ready.body.message}`);
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ code: 'not_ready', message: expect.stringContaining('set DATABASE_LISTEN_URL') });
      expect(await container.logs()).toContain(
        'Readiness down: notifications sent through DATABASE_URL do not reach the LISTEN connection',
      );
    } finally {
      await container.remove();
    }
  });

  it('restarts every instance in turn (SIGTERM, the next once the last is back in the load balancer) under load: no failed request', async () => {
    const load = profileLoad();
    const restarts: string[] = [];
    for (const service of SERVICES) {
      const id = await containerOf(service);
      const started = Date.now();
      await dockerOk(['restart', '--time', '30', id], { timeoutMs: 120_000 });
      const back = await balancerSees(service, (status) => status === 'UP');
      restarts.push(`${service} ${seconds(back - started)}`);
    }
    const outcomes = await load.stop();
    console.log(
      `Rolling restart: ${outcomes.length} requests sent, ${failed(outcomes).length} failed (${JSON.stringify(tally(outcomes))}); ` +
        `SIGTERM to back in the load balancer: ${restarts.join(', ')}`,
    );
    expect(failed(outcomes)).toEqual([]);
    expect(outcomes.length).toBeGreaterThan(100);
  }, 600_000);

  it('kills one instance (SIGKILL) under load: only requests in flight on it can fail, and it is out within a health-check interval', async () => {
    const load = profileLoad();
    await until('some load', () => Promise.resolve(load.outcomes.length > 50 ? true : undefined), 30_000, 50);
    const id = await containerOf('api-2');
    await dockerOk(['kill', '--signal', 'KILL', id]);
    const outAt = await balancerSees('api-2', (status) => status.startsWith('DOWN'), 10_000, 20);
    // When the process died, as the engine saw it (the docker command itself takes a while on a busy machine).
    const killedAt = Date.parse(await dockerOk(['inspect', '--format', '{{.State.FinishedAt}}', id]));
    const afterOut = load.outcomes.length;
    await until('more load', () => Promise.resolve(load.outcomes.length > afterOut + 100 ? true : undefined), 30_000, 50);
    const outcomes = await load.stop();
    const failures = failed(outcomes);
    console.log(
      `SIGKILL: ${outcomes.length} requests sent, ${failures.length} failed (${JSON.stringify(tally(outcomes))}); ` +
        `out of the load balancer ${seconds(outAt - killedAt)} after the process died (health checks every 1 s, then 0.5 s)`,
    );
    // At most one request in flight per worker, and none sent after the load balancer took it out.
    expect(failures.length).toBeLessThanOrEqual(WORKERS);
    expect(failures.filter((outcome) => outcome.sentAt > outAt)).toEqual([]);
    // Two failed checks: the next one within the 1 s interval, the second 0.5 s later (or at once, on a refused request).
    expect(outAt - killedAt).toBeLessThanOrEqual(1500);

    await dockerOk(['start', id]);
    await balancerSees('api-2', (status) => status === 'UP');
  }, 300_000);

  it('honours a deactivation and a sign-out everywhere made through one instance on the others within 1 s', async () => {
    // Every instance has carol's and dave's rows and tokens cached.
    for (const service of SERVICES)
      for (const token of [tokens.carol, tokens.dave]) expect((await call(`${instance[service]}/api/v1/me`, { token })).status).toBe(200);
    const carol = (await call<{ id: string }>(`${instance['api-1']}/api/v1/me`, { token: tokens.carol })).body;

    const honouredWithin = async (token: string, expected: { status: number; code: string }) => {
      const since = Date.now();
      const times = await Promise.all(
        [instance['api-2'], instance['api-3'], lb].map((base) =>
          until(
            `${base} to refuse`,
            async () => {
              const response = await call<{ code: string }>(`${base}/api/v1/me`, { token });
              return response.status === expected.status && response.body.code === expected.code ? Date.now() - since : undefined;
            },
            5000,
            20,
          ),
        ),
      );
      return Math.max(...times);
    };

    const deactivated = await call(`${instance['api-1']}/api/v1/admin/users/${carol.id}`, {
      method: 'PATCH',
      token: tokens.admin,
      body: { isActive: false },
    });
    expect(deactivated.status).toBe(200);
    const deactivation = await honouredWithin(tokens.carol, { status: 403, code: 'account_disabled' });

    const signedOut = await call(`${instance['api-1']}/api/v1/me/sign-out-everywhere`, { method: 'POST', token: tokens.dave });
    expect(signedOut.status).toBe(200);
    const signOut = await honouredWithin(tokens.dave, { status: 401, code: 'token_revoked' });

    console.log(
      `Made through api-1, refused by api-2, api-3 and the load balancer: deactivation ${deactivation} ms, sign-out everywhere ${signOut} ms`,
    );
    expect(deactivation).toBeLessThanOrEqual(1000);
    expect(signOut).toBeLessThanOrEqual(1000);
  });

  it('restarts PostgreSQL under load: 503 database_unavailable meanwhile, never a 500; every instance serves again within seconds, notifications flowing', async () => {
    // People's profiles (cached) and the admin list (read from PostgreSQL every time).
    const load = startLoad(
      (index) =>
        index % 2 === 0
          ? { url: `${lb}/api/v1/admin/users?pageSize=5`, token: tokens.admin }
          : { url: `${lb}/api/v1/me`, token: tokens.alice },
      { workers: WORKERS },
    );
    await until('some load', () => Promise.resolve(load.outcomes.length > 50 ? true : undefined), 30_000, 50);
    const postgres = await containerOf('postgres');
    const stoppedAt = Date.now();
    await dockerOk(['restart', '--time', '20', postgres], { timeoutMs: 120_000 });
    const startedAt = Date.now();
    const recovered = await Promise.all(
      SERVICES.map((service) =>
        until(
          `${service} to serve the admin list again`,
          async () =>
            (await call(`${instance[service]}/api/v1/admin/users?pageSize=5`, { token: tokens.admin })).status === 200
              ? Date.now()
              : undefined,
          60_000,
          100,
        ),
      ),
    );
    const flowing = await Promise.all(
      SERVICES.map((service) =>
        until(
          `${service}'s notifications to arrive again`,
          async () => {
            const ready = await call<{ details?: { notifications?: { state: string } } }>(`${instance[service]}/health/ready`);
            return ready.status === 200 && ready.body.details?.notifications?.state === 'arriving' ? Date.now() : undefined;
          },
          60_000,
          100,
        ),
      ),
    );
    const outcomes = await load.stop();
    const during = outcomes.filter((outcome) => outcome.sentAt >= stoppedAt);
    console.log(
      `PostgreSQL restart: ${outcomes.length} requests sent, ${failed(outcomes).length} not 200 (${JSON.stringify(tally(outcomes))}); ` +
        `down for ${seconds(startedAt - stoppedAt)}; every instance serving ${seconds(Math.max(...recovered) - startedAt)} ` +
        `and notified ${seconds(Math.max(...flowing) - startedAt)} after it was back`,
    );
    const unexpected = outcomes.filter(
      (outcome) => outcome.status !== 200 && !(outcome.status === 503 && outcome.code === 'database_unavailable'),
    );
    expect(unexpected).toEqual([]);
    expect(during.some((outcome) => outcome.status === 503)).toBe(true);
    expect(Math.max(...recovered) - startedAt).toBeLessThan(15_000);

    // Notifications flow again: a change through api-1 reaches the others' cached rows within 1 s.
    for (const service of SERVICES) expect((await call(`${instance[service]}/api/v1/me`, { token: tokens.alice })).status).toBe(200);
    const alice = (await call<{ id: string }>(`${instance['api-1']}/api/v1/me`, { token: tokens.alice })).body;
    const patched = await call(`${instance['api-1']}/api/v1/admin/users/${alice.id}`, {
      method: 'PATCH',
      token: tokens.admin,
      body: { isActive: false },
    });
    expect(patched.status).toBe(200);
    const since = Date.now();
    try {
      for (const service of ['api-2', 'api-3'] as const) {
        const at = await until(
          `${service} to refuse alice`,
          async () => ((await call(`${instance[service]}/api/v1/me`, { token: tokens.alice })).status === 403 ? Date.now() : undefined),
          5000,
          20,
        );
        expect(at - since).toBeLessThanOrEqual(1000);
      }
    } finally {
      await call(`${instance['api-1']}/api/v1/admin/users/${alice.id}`, { method: 'PATCH', token: tokens.admin, body: { isActive: true } });
    }
  }, 300_000);
});
