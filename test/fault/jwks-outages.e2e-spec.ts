import { randomUUID } from 'node:crypto';
import { FakePool, newKey } from '../support/fake-pool.js';
import { call, type JsonResponse } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = Date.now();
  const result = await work();
  return [result, Date.now() - started];
}

// The timing rules themselves (cooldown, retry backoff, one fetch shared by a flood, removal at refresh)
// are unit cases with fake timers in src/auth/jwks-key.provider.spec.ts; these are their wiring through a
// real server and a real, misbehaving JWKS endpoint.

describe("The pool's signing keys (JWKS) under faults", () => {
  const pool = new FakePool();
  const apps: TestApp[] = [];

  async function startApp(env: Record<string, string>): Promise<TestApp> {
    const app = await startTestApp({ env: { ...pool.env(), ...env } });
    apps.push(app);
    return app;
  }
  const me = (app: TestApp, token: string): Promise<JsonResponse> => call(`${app.url}/api/v1/me`, { token });

  beforeAll(async () => {
    await pool.start();
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    pool.jwksMode = 'ok';
    pool.published = [pool.key];
  });
  afterAll(async () => {
    await pool.stop();
  });

  describe('at start-up, without the pool', () => {
    it('starts while the JWKS endpoint hangs, reports not-ready, and answers tokens 503 keys_unavailable within the fetch timeout', async () => {
      pool.jwksMode = 'hang';
      const [app, startMs] = await timed(() => startApp({ JWKS_TIMEOUT_MS: '500', JWKS_COOLDOWN_SECONDS: '1' }));
      expect(startMs).toBeLessThan(5000);

      const [response, ms] = await timed(() => me(app, pool.mint()));
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ statusCode: 503, code: 'keys_unavailable' });
      expect(response.headers.get('www-authenticate')).toBeNull();
      expect(ms).toBeLessThan(2000);

      const ready = await call(`${app.url}/health/ready`);
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({
        code: 'not_ready',
        message: expect.stringContaining('keys'),
        checks: { keys: { status: 'down' }, database: { status: 'up' } },
      });
      expect((await call(`${app.url}/health/live`)).status).toBe(200);
    });

    it('refuses an oversized JWKS (size cap) and keeps answering 503, not 401, until the keys arrive', async () => {
      pool.jwksMode = 'oversized';
      const since = Date.now();
      const app = await startApp({ JWKS_COOLDOWN_SECONDS: '1' });
      const response = await me(app, pool.mint()); // after (or sharing) the first fetch, which is refused
      expect(pool.jwksRequestTimes.some((time) => time >= since)).toBe(true);
      expect(response.status).toBe(503);
      expect(response.body.code).toBe('keys_unavailable');
      expect((await call(`${app.url}/health/ready`)).status).toBe(503);

      pool.jwksMode = 'ok';
      await waitFor(async () => expect((await me(app, pool.mint())).status).toBe(200), {
        timeout: 3000,
        message: 'the next retry to load the keys',
      });
    });

    it('keeps retrying while the endpoint fails, and is ready as soon as the keys arrive', async () => {
      pool.jwksMode = 'fail';
      const since = Date.now();
      const app = await startApp({ JWKS_COOLDOWN_SECONDS: '2' });
      await waitFor(() => expect(pool.jwksRequestTimes.filter((time) => time >= since).length).toBeGreaterThanOrEqual(2), {
        message: 'a retry after the failed first fetch',
      });
      expect((await me(app, pool.mint())).body.code).toBe('keys_unavailable');

      pool.jwksMode = 'ok';
      const [, readyMs] = await timed(() =>
        waitFor(async () => expect((await call(`${app.url}/health/ready`)).status).toBe(200), {
          timeout: 5000,
          message: '/health/ready to answer 200',
        }),
      );
      expect(readyMs).toBeLessThan(3500); // the next retry, at most one cooldown (2 s) away
      expect((await me(app, pool.mint())).status).toBe(200);
    });
  });

  describe('running, when the pool fails', () => {
    it('keeps verifying with the cached keys while the JWKS endpoint hangs, and answers unknown kids within the fetch timeout', async () => {
      const app = await startApp({ JWKS_TIMEOUT_MS: '1000', JWKS_COOLDOWN_SECONDS: '1' });
      expect((await me(app, pool.mint())).status).toBe(200);
      pool.jwksMode = 'hang';

      const [known, knownMs] = await timed(() => me(app, pool.mint()));
      expect(known.status).toBe(200);
      expect(knownMs).toBeLessThan(500); // never waits for the JWKS endpoint

      // Within the cooldown an unknown kid is refused at once; past it, it causes one fetch, which hangs.
      const stranger = pool.mint({}, { key: newKey() });
      const before = pool.jwksRequests;
      const [unknown, unknownMs] = await waitFor(
        async () => {
          const answer = await timed(() => me(app, stranger));
          expect(pool.jwksRequests).toBe(before + 1);
          return answer;
        },
        { timeout: 5000, message: 'an unknown kid to cause a JWKS fetch once the cooldown is over' },
      );
      expect(unknown.status).toBe(401);
      expect(unknown.body.code).toBe('token_invalid');
      expect(unknownMs).toBeLessThan(3000); // the 1 s fetch timeout, and slack for a busy machine
      expect((await call(`${app.url}/health/ready`)).status).toBe(200);
    });

    it('answers a flood of unknown kids with 401 and without a JWKS fetch each', async () => {
      const app = await startApp({ JWKS_COOLDOWN_SECONDS: '60' });
      expect((await me(app, pool.mint())).status).toBe(200);
      const stranger = newKey();
      const before = pool.jwksRequests;
      const answers = await Promise.all(
        Array.from({ length: 100 }, () => me(app, pool.mint({}, { key: stranger, kid: `forged-${randomUUID()}` }))),
      );
      expect(answers.every((answer) => answer.status === 401 && answer.body.code === 'token_invalid')).toBe(true);
      expect(pool.jwksRequests - before).toBeLessThanOrEqual(1);
    });

    it('accepts a key the pool adds within the cooldown, without restart', async () => {
      const app = await startApp({ JWKS_COOLDOWN_SECONDS: '1' });
      expect((await me(app, pool.mint())).status).toBe(200); // the keys were fetched moments ago: in the cooldown

      const added = newKey();
      pool.published = [pool.key, added];
      const token = pool.mint({}, { key: added });
      const [, acceptedMs] = await timed(() =>
        waitFor(async () => expect((await me(app, token)).status).toBe(200), { timeout: 5000, message: 'the added key to verify' }),
      );
      expect(acceptedMs).toBeLessThan(3000); // the 1 s cooldown, and slack for a busy machine
    });

    it('stops verifying a key the pool removes after the next periodic refresh', async () => {
      const app = await startApp({ JWKS_REFRESH_SECONDS: '5', JWKS_COOLDOWN_SECONDS: '1' });
      const token = pool.mint();
      expect((await me(app, token)).status).toBe(200);
      const started = Date.now();

      pool.published = [newKey()];
      const [, refusedMs] = await timed(() =>
        waitFor(async () => expect((await me(app, token)).status).toBe(401), {
          timeout: 10_000,
          interval: 100,
          message: 'the removed key to be refused',
        }),
      );
      expect(refusedMs).toBeLessThan(7000); // the refresh runs every 5 s
      expect(pool.jwksRequestTimes.some((time) => time >= started)).toBe(true);
      const fresh = await me(app, pool.mint());
      expect(fresh.status).toBe(401);
      expect(fresh.body.code).toBe('token_invalid');
      expect((await call(`${app.url}/health/ready`)).status).toBe(200); // the other keys still verify
    });
  });
});
