import { randomUUID } from 'node:crypto';
import { FakePool, newKey } from '../support/fake-pool.js';
import { call, type JsonResponse } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Calls `attempt` until `accept` holds; the time it took, or a failure with the last answer. */
async function within<T>(limitMs: number, attempt: () => Promise<T>, accept: (value: T) => boolean): Promise<number> {
  const started = Date.now();
  let last: T | undefined;
  while (Date.now() - started < limitMs) {
    last = await attempt();
    if (accept(last)) return Date.now() - started;
    await sleep(100);
  }
  throw new Error(`Not within ${limitMs}ms; last answer: ${JSON.stringify(last)}`);
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = Date.now();
  const result = await work();
  return [result, Date.now() - started];
}

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

    it('refuses an oversized JWKS (size cap) and keeps answering 503, not 401', async () => {
      pool.jwksMode = 'oversized';
      const since = Date.now();
      const app = await startApp({ JWKS_COOLDOWN_SECONDS: '1' });
      await sleep(1600);
      expect(pool.jwksRequestTimes.filter((time) => time >= since).length).toBeGreaterThanOrEqual(2); // answered, and refused
      const response = await me(app, pool.mint());
      expect(response.status).toBe(503);
      expect(response.body.code).toBe('keys_unavailable');
      expect((await call(`${app.url}/health/ready`)).status).toBe(503);

      pool.jwksMode = 'ok';
      await within(
        2000,
        () => me(app, pool.mint()),
        (answer) => answer.status === 200,
      );
    });

    it('retries with a bounded backoff while the endpoint fails, and is ready as soon as the keys arrive', async () => {
      pool.jwksMode = 'fail';
      const since = Date.now();
      const app = await startApp({ JWKS_COOLDOWN_SECONDS: '2' });
      await sleep(4500);
      // Tries at about 0, 0.5, 1.5 and 3.5 s: the delay doubles from 0.5 s, capped at the 2 s cooldown.
      const times = pool.jwksRequestTimes.filter((time) => time >= since);
      const gaps = times.slice(1).map((time, index) => time - times[index]);
      expect(times.length).toBeGreaterThanOrEqual(3);
      expect(times.length).toBeLessThanOrEqual(5);
      expect(Math.max(...gaps)).toBeLessThan(2600);
      expect((await me(app, pool.mint())).body.code).toBe('keys_unavailable');

      pool.jwksMode = 'ok';
      const readyMs = await within(
        4000,
        () => call(`${app.url}/health/ready`),
        (response) => response.status === 200,
      );
      expect(readyMs).toBeLessThan(3500); // the next retry, at most one cooldown (2 s) away
      expect((await me(app, pool.mint())).status).toBe(200);
    });
  });

  describe('running, when the pool fails', () => {
    it('keeps verifying with the cached keys while the JWKS endpoint fails or hangs, and answers unknown kids within seconds', async () => {
      const app = await startApp({ JWKS_TIMEOUT_MS: '2000', JWKS_COOLDOWN_SECONDS: '1' });
      expect((await me(app, pool.mint())).status).toBe(200);
      const stranger = newKey();

      for (const mode of ['fail', 'hang'] as const) {
        pool.jwksMode = mode;
        await sleep(1100); // past the cooldown: the unknown kid below does cause a fetch
        const [known, knownMs] = await timed(() => me(app, pool.mint()));
        expect(known.status).toBe(200);
        expect(knownMs).toBeLessThan(1000); // never waits for the JWKS endpoint (2 s timeout)

        const before = pool.jwksRequests;
        const [unknown, unknownMs] = await timed(() => me(app, pool.mint({}, { key: stranger })));
        expect(pool.jwksRequests).toBe(before + 1);
        expect(unknown.status).toBe(401);
        expect(unknown.body.code).toBe('token_invalid');
        expect(unknownMs).toBeLessThan(4000); // at most the fetch timeout
      }
      expect((await call(`${app.url}/health/ready`)).status).toBe(200);
    });

    it('answers a flood of unknown kids with at most one JWKS fetch per cooldown', async () => {
      const app = await startApp({ JWKS_COOLDOWN_SECONDS: '3' });
      await sleep(3100);
      const stranger = newKey();
      const forgeries = () => Array.from({ length: 100 }, () => pool.mint({}, { key: stranger, kid: `forged-${randomUUID()}` }));
      /** Sends the floods; how many JWKS fetches they caused, and how many they may (one per started cooldown). */
      const flood = async (...waves: string[][]) => {
        const before = pool.jwksRequests;
        const started = Date.now();
        for (const wave of waves) {
          const answers = await Promise.all(wave.map((token) => me(app, token)));
          expect(answers.every((answer) => answer.status === 401 && answer.body.code === 'token_invalid')).toBe(true);
        }
        return { fetches: pool.jwksRequests - before, allowed: 1 + Math.floor((Date.now() - started) / 3000) };
      };

      const first = await flood(forgeries(), forgeries());
      expect(first.fetches).toBeGreaterThanOrEqual(1);
      expect(first.fetches).toBeLessThanOrEqual(first.allowed); // 1, unless the machine is slower than one cooldown per 200 requests

      await sleep(3100);
      const next = await flood(forgeries());
      expect(next.fetches).toBeGreaterThanOrEqual(1);
      expect(next.fetches).toBeLessThanOrEqual(next.allowed);
    });

    it('accepts a key the pool adds within the cooldown, without restart', async () => {
      const app = await startApp({ JWKS_COOLDOWN_SECONDS: '2' });
      expect((await me(app, pool.mint())).status).toBe(200); // the keys were fetched moments ago: in the cooldown

      const added = newKey();
      pool.published = [pool.key, added];
      const token = pool.mint({}, { key: added });
      const acceptedMs = await within(
        6000,
        () => me(app, token),
        (response) => response.status === 200,
      );
      expect(acceptedMs).toBeLessThan(3500); // the 2 s cooldown, and some slack for a busy machine
    });

    it('stops verifying a key the pool removes after the next periodic refresh', async () => {
      const app = await startApp({ JWKS_REFRESH_SECONDS: '5', JWKS_COOLDOWN_SECONDS: '1' });
      const token = pool.mint();
      expect((await me(app, token)).status).toBe(200);
      const started = Date.now();

      pool.published = [newKey()];
      const refusedMs = await within(
        10_000,
        () => me(app, token),
        (response) => response.status === 401,
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
