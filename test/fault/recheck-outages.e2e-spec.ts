import { randomUUID } from 'node:crypto';
import { MetricsServer } from '../../src/metrics/metrics.server.js';
import { GET_USER_TIMEOUT_MS } from '../../src/users/cognito-profile.client.js';
import { FakePool } from '../support/fake-pool.js';
import { call } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

/** Slower than any request served from memory, on a busy machine; far quicker than the pool's timeout. */
const SERVED_AT_ONCE_MS = 1000;

/**
 * The pool's GetUser failing under the background rechecks (TOKEN_RECHECK_SECONDS=1): answering 5xx,
 * hanging past the call's timeout, or down. Tokens keep working at full speed, each failed check is
 * counted on /metrics, and the session is checked again the next period.
 */
describe('Background rechecks when the pool fails', () => {
  const pool = new FakePool();
  let sut: TestApp;
  let metricsUrl: string;
  let port: number;

  beforeAll(async () => {
    await pool.start();
    port = Number(new URL(pool.endpoint).port);
    sut = await startTestApp({ env: { ...pool.env(), TOKEN_RECHECK_SECONDS: '1', METRICS_PORT: '0' } });
    metricsUrl = sut.app.get(MetricsServer).url!;
  });
  afterAll(async () => {
    await sut?.close();
    await pool.stop();
  });

  const me = (token: string) => call(`${sut.url}/api/v1/me`, { token });

  /** token_rechecks_total{outcome} as Prometheus reads it from the metrics port. */
  async function rechecks(outcome: string): Promise<number> {
    const text = await (await fetch(`${metricsUrl}/metrics`)).text();
    const line = text.split('\n').find((sample) => sample.startsWith(`token_rechecks_total{outcome="${outcome}"} `));
    return line ? Number(line.split(' ')[1]) : 0;
  }

  /**
   * A person the API already knows (their row holds the pool's attributes, so no profile read goes to
   * the pool) and whom the pool knows: GetUser answers for them while it works.
   */
  async function person(scope = 'aws.cognito.signin.user.admin'): Promise<string> {
    const sub = randomUUID();
    const username = `user-${sub.slice(0, 6)}`;
    pool.attributes.set(sub, { username, email: `${username}@example.org` });
    await sut.db.query('INSERT INTO users (sub, username, profile_synced_at) VALUES ($1, $2, now())', [sub, username]);
    return pool.mint({ sub, username, scope });
  }

  /** Calls /api/v1/me with the token until `done` holds; every response must be a 200 served at once. */
  async function servedUntil(token: string, done: () => Promise<void>, message: string): Promise<void> {
    const slow: number[] = [];
    await waitFor(
      async () => {
        const started = Date.now();
        const response = await me(token);
        const took = Date.now() - started;
        expect(response.status).toBe(200);
        if (took >= SERVED_AT_ONCE_MS) slow.push(took);
        await done();
      },
      { timeout: 20_000, interval: 200, message },
    );
    expect(slow).toEqual([]);
  }

  const outages: Array<[string, () => Promise<void> | void, () => Promise<unknown> | void]> = [
    ['answers 500', () => void (pool.getUserMode = 'fail'), () => void (pool.getUserMode = 'ok')],
    ["hangs past the call's timeout", () => void (pool.getUserDelayMs = GET_USER_TIMEOUT_MS + 5000), () => void (pool.getUserDelayMs = 0)],
    ['is down', () => pool.stop(), () => pool.start({ port })],
  ];

  it.each(outages)(
    'keeps tokens working while GetUser %s, counts each failed check and checks again the next period',
    async (_outage, begin, end) => {
      const token = await person();
      const valid = await rechecks('valid');
      await servedUntil(
        token,
        async () => expect(await rechecks('valid')).toBeGreaterThan(valid),
        'a first recheck that finds the session valid',
      );

      await begin();
      const failed = await rechecks('failed');
      // Two failures of the same session: after the first, it was checked again a period later.
      await servedUntil(token, async () => expect(await rechecks('failed')).toBeGreaterThanOrEqual(failed + 2), 'two failed rechecks');

      await end();
      const again = await rechecks('valid');
      await servedUntil(token, async () => expect(await rechecks('valid')).toBeGreaterThan(again), 'a recheck after the outage');
    },
    60_000,
  );

  it('never asks the pool about a token without the scope aws.cognito.signin.user.admin, nor refuses it for that; counts it not_checkable', async () => {
    const token = await person('openid email');
    const notCheckable = await rechecks('not_checkable');
    const requests = pool.getUserRequests;
    // The pool would refuse any token it were asked about.
    pool.getUserMode = 'revoked';
    try {
      // Counted once per period: a second count means a period passed with the token in use.
      await servedUntil(token, async () => expect(await rechecks('not_checkable')).toBeGreaterThanOrEqual(notCheckable + 2), 'two periods');
      expect(pool.getUserRequests).toBe(requests);
      expect((await me(token)).status).toBe(200);

      // The same pool refuses a checkable session of the same kind of person, as a control.
      const checkable = await person();
      await waitFor(async () => expect((await me(checkable)).body.code).toBe('token_revoked'), { timeout: 8000, interval: 200 });
    } finally {
      pool.getUserMode = 'ok';
    }
  });
});
