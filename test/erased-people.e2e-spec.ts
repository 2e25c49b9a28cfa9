import { FakePool } from './support/fake-pool.js';
import { call } from './support/http.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const USERS_READ = 'backend/users.read';

interface Person {
  id: string;
  sub: string;
  token: string;
}

/**
 * After DELETE /api/v1/admin/users/{id}, the person is gone from every API and for every caller:
 * each route that reads people answers as if they had never existed.
 */
describe('Erased people', () => {
  const pool = new FakePool();
  let sut: TestApp;
  let admin: Person;
  let erased: Person;
  let kept: Person;
  const url = (path: string) => `${sut.url}${path}`;

  async function person(claims: Record<string, unknown> = {}): Promise<Person> {
    const sub = crypto.randomUUID();
    const username = `p-${sub.slice(0, 8)}`;
    pool.attributes.set(sub, { username, email: `${username}@example.org`, email_verified: 'true' });
    const token = pool.mint({ sub, username, ...claims });
    const me = await call<{ id: string }>(url('/api/v1/me'), { token });
    expect(me.status).toBe(200);
    return { id: me.body.id, sub, token };
  }

  beforeAll(async () => {
    await pool.start();
    sut = await startTestApp({ env: pool.env() });
    admin = await person({ 'cognito:groups': ['admin'] });
    erased = await person();
    kept = await person();
    expect((await call(url(`/api/v1/admin/users/${erased.id}`), { method: 'DELETE', token: admin.token })).status).toBe(200);
  });
  afterAll(async () => {
    await sut.close();
    await pool.stop();
  });

  const readers = (): Array<[string, () => string]> => [
    ['a machine client with users.read', () => pool.mintMachine(USERS_READ)],
    ['an admin', () => admin.token],
  ];

  describe.each(readers())('for %s, the users API', (_who, token) => {
    it('answers 404 for the erased id, and 200 for a living one', async () => {
      const gone = await call(url(`/api/v1/users/${erased.id}`), { token: token() });
      expect(gone.body).toMatchObject({ statusCode: 404, code: 'not_found' });
      expect((await call(url(`/api/v1/users/${kept.id}`), { token: token() })).status).toBe(200);
    });

    it('finds nothing by the erased sub, and leaves the erased out of unfiltered pages', async () => {
      const bySub = await call<{ items: unknown[]; total: number }>(url(`/api/v1/users?sub=${erased.sub}`), { token: token() });
      expect(bySub.status).toBe(200);
      expect(bySub.body).toMatchObject({ items: [], total: 0 });
      const all = await call<{ items: Array<{ id: string }>; total: number }>(url('/api/v1/users?pageSize=100'), { token: token() });
      const ids = all.body.items.map((user) => user.id);
      expect(ids).toEqual(expect.arrayContaining([admin.id, kept.id]));
      expect(ids).not.toContain(erased.id);
      expect(all.body.total).toBe(ids.length);
    });
  });

  describe('for an admin, the admin API', () => {
    it('answers 404 on every route about the erased person', async () => {
      const routes: Array<[string, string, unknown?]> = [
        ['GET', ''],
        ['PATCH', '', { firstName: 'Back' }],
        ['POST', '/refresh-from-pool'],
        ['POST', '/sign-out-everywhere'],
        ['DELETE', ''],
      ];
      for (const [method, path, body] of routes) {
        const response = await call(url(`/api/v1/admin/users/${erased.id}${path}`), { method, body, token: admin.token });
        expect([method, path, response.status, response.body.code]).toEqual([method, path, 404, 'not_found']);
      }
    });

    it('leaves them out of the list, whatever the filter', async () => {
      for (const query of ['pageSize=100', 'pageSize=100&isActive=false', 'pageSize=100&sort=username', 'search=p-']) {
        const page = await call<{ items: Array<{ id: string }> }>(url(`/api/v1/admin/users?${query}`), { token: admin.token });
        expect(page.status).toBe(200);
        expect(page.body.items.map((user) => user.id)).not.toContain(erased.id);
      }
    });
  });

  it("refuses the erased person's own token, and a later one of theirs, without re-creating the profile", async () => {
    expect((await call(url('/api/v1/me'), { token: erased.token })).body.code).toBe('token_revoked');
    // Issued after the erasure (within the allowed clock skew): the tombstone refuses it.
    const later = pool.mint({ sub: erased.sub, iat: Math.floor(Date.now() / 1000) + 2 });
    expect((await call(url('/api/v1/me'), { token: later })).body).toMatchObject({ statusCode: 403, code: 'account_disabled' });
    const [row] = await sut.db.query<{ username: string | null }>('SELECT username FROM users WHERE id = $1', [erased.id]);
    expect(row.username).toBeNull();
  });
});
