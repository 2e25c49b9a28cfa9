import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { MetricsServer } from '../src/metrics/metrics.server.js';
import { FakePool, newKey } from './support/fake-pool.js';
import { call } from './support/http.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

/** Prometheus text format: `name{label="value",...} number` per sample. */
async function scrape(url: string): Promise<Map<string, number>> {
  const response = await fetch(`${url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const samples = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*(?:\{.*\})?) (\S+)$/.exec(line);
    if (match) samples.set(match[1], Number(match[2]));
  }
  return samples;
}

describe('GET /metrics (METRICS_PORT)', () => {
  const pool = new FakePool();
  let sut: TestApp;
  let metricsUrl: string;
  let me: string;

  beforeAll(async () => {
    await pool.start();
    sut = await startTestApp({ env: { ...pool.env(), METRICS_PORT: '0', JWKS_COOLDOWN_SECONDS: '1' } });
    metricsUrl = sut.app.get(MetricsServer).url!;
    me = `${sut.url}/api/v1/me`;
  });
  afterAll(async () => {
    await sut.close();
    await pool.stop();
  });

  it('listens on its own loopback port, apart from the API', async () => {
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(new URL(metricsUrl).port).not.toBe(new URL(sut.url).port);
    expect((await call(`${sut.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${metricsUrl}/other`)).status).toBe(404);
  });

  it('counts requests by route pattern, method and status, with their durations', async () => {
    const id = randomUUID();
    const admin = pool.mint({ 'cognito:groups': ['admin'] });
    const series = (route: string, status: number, method = 'GET') =>
      `http_request_duration_seconds_count{route="${route}",method="${method}",status="${status}"}`;
    const before = await scrape(metricsUrl);
    await call(me);
    await call(me);
    await call(`${sut.url}/api/v1/admin/users/${id}`, { token: admin });
    const after = await scrape(metricsUrl);

    expect((after.get(series('/api/v1/me', 401)) ?? 0) - (before.get(series('/api/v1/me', 401)) ?? 0)).toBe(2);
    expect(after.get(series('/api/v1/admin/users/:id', 404))).toBeGreaterThanOrEqual(1);
    expect(after.get(`http_request_duration_seconds_bucket{le="+Inf",route="/api/v1/me",method="GET",status="401"}`)).toBe(
      after.get(series('/api/v1/me', 401)),
    );
    // The raw URL never becomes a label: one series per route, whatever the ids.
    expect([...after.keys()].some((name) => name.includes(id))).toBe(false);
  });

  it('counts token refusals by code', async () => {
    const refusals = (samples: Map<string, number>, code: string) => samples.get(`auth_token_refusals_total{code="${code}"}`) ?? 0;
    const before = await scrape(metricsUrl);
    await call(me);
    await call(me, { token: pool.mint({ exp: Math.floor(Date.now() / 1000) - 600 }) });
    await call(me, { token: pool.mint({ exp: Math.floor(Date.now() / 1000) - 600 }) });
    const after = await scrape(metricsUrl);
    expect(refusals(after, 'token_missing') - refusals(before, 'token_missing')).toBe(1);
    expect(refusals(after, 'token_expired') - refusals(before, 'token_expired')).toBe(2);
  });

  it("reports each pool's JWKS fetches, their failures and the age of its keys", async () => {
    const fetches = (samples: Map<string, number>, outcome: string) =>
      samples.get(`jwks_fetches_total{pool="default",outcome="${outcome}"}`) ?? 0;
    const before = await scrape(metricsUrl);
    expect(fetches(before, 'success')).toBeGreaterThanOrEqual(1);
    expect(before.get('jwks_keys_age_seconds{pool="default"}')).toBeGreaterThanOrEqual(0);

    pool.jwksMode = 'fail';
    try {
      // Within the 1 s cooldown an unknown kid is refused without a fetch; past it, it causes one (which fails).
      const stranger = pool.mint({}, { key: newKey() });
      const fetchesBefore = pool.jwksRequests;
      await waitFor(
        async () => {
          expect((await call(me, { token: stranger })).status).toBe(401);
          expect(pool.jwksRequests).toBe(fetchesBefore + 1);
        },
        { timeout: 5000, message: 'an unknown kid to cause a JWKS fetch once the cooldown is over' },
      );
    } finally {
      pool.jwksMode = 'ok';
    }
    const after = await scrape(metricsUrl);
    expect(fetches(after, 'failure') - fetches(before, 'failure')).toBe(1);
    expect(after.get('jwks_keys_age_seconds{pool="default"}')).toBeGreaterThan(before.get('jwks_keys_age_seconds{pool="default"}')!);
  });

  it('counts GetUser calls and their failures', async () => {
    const calls = (samples: Map<string, number>, outcome: string) => samples.get(`cognito_get_user_calls_total{outcome="${outcome}"}`) ?? 0;
    const before = await scrape(metricsUrl);
    const known = randomUUID();
    pool.attributes.set(known, { email: 'known@example.com' });
    expect((await call(me, { token: pool.mint({ sub: known }) })).status).toBe(200);
    // The pool knows nothing of this one: GetUser fails, the user is still served.
    expect((await call(me, { token: pool.mint() })).status).toBe(200);
    const after = await scrape(metricsUrl);
    expect(calls(after, 'success') - calls(before, 'success')).toBe(1);
    expect(calls(after, 'failure') - calls(before, 'failure')).toBe(1);
  });

  it('reports the database pool and counts failed queries', async () => {
    const before = await scrape(metricsUrl);
    await expect(sut.app.get(DataSource).query('SELECT 1/0')).rejects.toThrow(/division by zero/);
    const after = await scrape(metricsUrl);
    expect((after.get('db_query_failures_total') ?? 0) - (before.get('db_query_failures_total') ?? 0)).toBe(1);
    expect(after.get('db_pool_connections{state="total"}')).toBeGreaterThanOrEqual(1);
    expect(after.get('db_pool_connections{state="idle"}')).toBeGreaterThanOrEqual(0);
    expect(after.get('db_pool_connections{state="waiting"}')).toBe(0);
  });

  it("includes Node's process metrics", async () => {
    const samples = await scrape(metricsUrl);
    expect(samples.get('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(samples.get('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(samples.has('nodejs_eventloop_lag_seconds')).toBe(true);
  });

  it('is off when METRICS_PORT is unset', async () => {
    const other = await startTestApp({ env: pool.env(), db: sut.db });
    try {
      expect(other.app.get(MetricsServer).url).toBeUndefined();
    } finally {
      await other.app.close();
    }
  });
});
