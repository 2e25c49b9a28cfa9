import { call } from './support/http.js';
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

  it('GET /health/ready answers without a token once the database answers and the keys are loaded', async () => {
    // The keys load in the background.
    const response = await waitFor(
      async () => {
        const ready = await call(`${sut.url}/health/ready`);
        expect(ready.status).toBe(200);
        return ready;
      },
      { message: '/health/ready to answer 200' },
    );
    expect(response.body).toEqual({
      status: 'ok',
      info: { database: { status: 'up' }, keys: { status: 'up', keys: 1 } },
      error: {},
      details: { database: { status: 'up' }, keys: { status: 'up', keys: 1 } },
    });
  });

  it('ignores a token, even a bad one', async () => {
    const response = await call(`${sut.url}/health/live`, { token: 'aaa.bbb.ccc' });
    expect(response.status).toBe(200);
  });
});
