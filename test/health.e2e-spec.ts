import { registry } from '../src/metrics/metrics.js';
import { call } from './support/http.js';
import { createTestDatabase } from './support/test-database.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

describe('/health', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(async () => {
    await sut.close();
  });

  it('GET /health/live answers without a token: the process is up', async () => {
    const response = await call(`${sut.url}/health/live`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', info: {}, error: {}, details: {} });
    expect(response.headers.get('cache-control')).toMatch(/no-store/);
  });

  it('GET /health/ready answers without a token once the database answers, the keys are loaded and notifications arrive', async () => {
    // The keys load in the background.
    const response = await waitFor(
      async () => {
        const ready = await call(`${sut.url}/health/ready`);
        expect(ready.status).toBe(200);
        return ready;
      },
      { message: '/health/ready to answer 200' },
    );
    const parts = {
      database: { status: 'up' },
      keys: { status: 'up', keys: 1, pools: { default: 1 } },
      notifications: { status: 'up', state: 'arriving' },
    };
    expect(response.body).toEqual({ status: 'ok', info: parts, error: {}, details: parts });
  });

  it('ignores a token, even a bad one', async () => {
    const response = await call(`${sut.url}/health/live`, { token: 'aaa.bbb.ccc' });
    expect(response.status).toBe(200);
  });

  it('GET /health/ready is 503 naming DATABASE_LISTEN_URL when its own notifications do not come back, and counts them', async () => {
    // LISTEN on another database than the one NOTIFY goes to: nothing arrives, as behind a transaction-mode pooler.
    const elsewhere = await createTestDatabase();
    const missed = async () => (await registry.getSingleMetric('db_notifications_missed_total')?.get())?.values[0]?.value ?? 0;
    const before = await missed();
    const misconfigured = await startTestApp({ env: { DATABASE_LISTEN_URL: elsewhere.url } });
    try {
      const response = await call<{ code: string; message: string; checks: Record<string, unknown> }>(`${misconfigured.url}/health/ready`);
      expect(response.status).toBe(503);
      expect(response.body.code).toBe('not_ready');
      expect(response.body.message).toMatch(/^Not ready; down: notifications \(.*pooler.*set DATABASE_LISTEN_URL/);
      expect(response.body.checks).toMatchObject({ database: { status: 'up' }, notifications: { status: 'down' } });
      expect(await missed()).toBeGreaterThan(before);
    } finally {
      await misconfigured.close();
      await elsewhere.drop();
    }
  });
});
