import { randomUUID } from 'node:crypto';
import { FakePool } from './support/fake-pool.js';
import { call } from './support/http.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * In a pool where preferred_username is not an alias (Cognito's default), the admin calls must name
 * the user by the pool's own user name (the token's `username`), never by the preferred one shown.
 */
describe("The pool's own user name in the admin calls", () => {
  const pool = new FakePool();
  let sut: TestApp;
  let adminToken: string;
  let grace: { id: string; sub: string };
  const admin = (path: string) => call(`${sut.url}/api/v1/admin/users${path}`, { method: 'POST', token: adminToken });

  beforeAll(async () => {
    await pool.start();
    sut = await startTestApp({ env: pool.env() });
    const adminSub = randomUUID();
    pool.attributes.set(adminSub, { username: 'the-admin' });
    adminToken = pool.mint({ sub: adminSub, username: 'the-admin', 'cognito:groups': ['admin'] });
    expect((await call(`${sut.url}/api/v1/me`, { token: adminToken })).status).toBe(200);

    const sub = randomUUID();
    pool.attributes.set(sub, { username: 'g-hopper-7', preferred_username: 'Grace', email: 'grace@example.org', email_verified: 'true' });
    const me = await call<{ id: string; username: string }>(`${sut.url}/api/v1/me`, { token: pool.mint({ sub, username: 'g-hopper-7' }) });
    // People see the preferred name; the pool knows the user by the other.
    expect(me.body.username).toBe('Grace');
    grace = { id: me.body.id, sub };
  });
  afterAll(async () => {
    await sut.close();
    await pool.stop();
  });

  it('refreshes from the pool with AdminGetUser of the pool user name', async () => {
    pool.attributes.set(grace.sub, {
      username: 'g-hopper-7',
      preferred_username: 'Grace',
      email: 'grace@navy.example',
      email_verified: 'true',
    });
    const response = await admin(`/${grace.id}/refresh-from-pool`);
    expect([response.status, response.body.email, response.body.username]).toEqual([200, 'grace@navy.example', 'Grace']);
    expect(pool.adminCalls.filter((entry) => entry.operation === 'AdminGetUser').map((entry) => entry.username)).toEqual(['g-hopper-7']);
  });

  it('signs out everywhere in the pool with AdminUserGlobalSignOut of the pool user name', async () => {
    const response = await admin(`/${grace.id}/sign-out-everywhere`);
    expect([response.status, response.body.poolSignOut]).toEqual([200, 'done']);
    expect(pool.adminCalls.filter((entry) => entry.operation === 'AdminUserGlobalSignOut').map((entry) => entry.username)).toEqual([
      'g-hopper-7',
    ]);
  });

  it('names a row from before the pool user name was kept by its sub, which Cognito takes for a local user', async () => {
    await sut.db.query('UPDATE users SET pool_username = NULL WHERE id = $1', [grace.id]);
    pool.adminCalls.length = 0;
    await admin(`/${grace.id}/refresh-from-pool`);
    expect(pool.adminCalls.map((entry) => entry.username)).toEqual([grace.sub]);
  });
});
