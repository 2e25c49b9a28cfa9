import { FakePool } from './support/fake-pool.js';
import { call } from './support/http.js';
import { membersOf, routeDtos } from './support/route-dtos.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const USERS_READ = 'backend/users.read';

/** Names every JavaScript object answers to, and the names a query class could have had as getters. */
const OBJECT_NAMES = ['offset', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];

/**
 * A query parameter a route does not take is refused with 400 naming it, as an unknown body field
 * is, never ignored and never a 500 (`?offset=` once reached a read-only getter of the page query).
 */
describe('Query parameters', () => {
  const pool = new FakePool();
  let sut: TestApp;
  let adminToken: string;
  let memberToken: string;
  const memberSub = crypto.randomUUID();
  const url = (path: string) => `${sut.url}${path}`;

  beforeAll(async () => {
    await pool.start();
    sut = await startTestApp({ env: pool.env() });
    adminToken = pool.mint({ 'cognito:groups': ['admin'] });
    memberToken = pool.mint({ sub: memberSub });
    for (const token of [adminToken, memberToken]) expect((await call(url('/api/v1/me'), { token })).status).toBe(200);
  });
  afterAll(async () => {
    await sut.close();
    await pool.stop();
  });

  const pagedLists = (): Array<[string, () => string]> => [
    ['/api/v1/admin/users', () => adminToken],
    ['/api/v1/admin/audit', () => adminToken],
    ['/api/v1/users', () => pool.mintMachine(USERS_READ)],
  ];

  describe.each(pagedLists())('on the paged list %s', (path, token) => {
    it.each(OBJECT_NAMES)('refuses ?%s= with 400 validation_failed naming it', async (name) => {
      for (const value of ['5', '', 'x']) {
        const response = await call(url(`${path}?${encodeURIComponent(name)}=${value}`), { token: token() });
        expect([response.status, response.body.code]).toEqual([400, 'validation_failed']);
        expect(response.body.message).toContain(name);
      }
    });

    it('still takes the parameters it documents, and names them when refusing another', async () => {
      const page = await call<{ page: number; pageSize: number }>(url(`${path}?page=2&pageSize=5`), { token: token() });
      expect([page.status, page.body.page, page.body.pageSize]).toEqual([200, 2, 5]);
      const typo = await call(url(`${path}?page=1&pagesize=5`), { token: token() });
      expect(typo.status).toBe(400);
      expect(typo.body.message).toMatch(/"pagesize".*page, pageSize/);
    });
  });

  it('refuses any query parameter on routes that take none', async () => {
    const routes: Array<[string, string, () => string]> = [
      ['GET', '/api/v1/me', () => memberToken],
      ['PATCH', '/api/v1/me', () => memberToken],
      ['GET', `/api/v1/users/00000000-0000-4000-8000-000000000000`, () => pool.mintMachine(USERS_READ)],
    ];
    for (const [method, path, token] of routes) {
      const response = await call(url(`${path}?firstName=Mallory`), { method, token: token(), body: method === 'PATCH' ? {} : undefined });
      expect([method, path, response.status, response.body.code]).toEqual([method, path, 400, 'validation_failed']);
      expect(response.body.message).toBe('Unknown query parameter "firstName": this route does not take it (it takes none).');
    }
    const [{ first_name }] = await sut.db.query<{ first_name: string | null }>('SELECT first_name FROM users WHERE sub = $1', [memberSub]);
    expect(first_name).toBeNull();
  });

  it('reaches only plain fields: no query or body class has a getter, setter or method', () => {
    const dtos = routeDtos(sut.app);
    expect(dtos.get('GET /api/v1/admin/users')?.map((type) => type.name)).toEqual(['UserListQueryDto']);
    const reachable = [...dtos].flatMap(([route, types]) =>
      types.flatMap((type) => membersOf(type).map((name) => `${route}: ${type.name}.${name}`)),
    );
    expect(reachable).toEqual([]);
  });

  it('checks the token first: without one, an unknown parameter still gets 401', async () => {
    const response = await call(url('/api/v1/admin/users?offset=1'));
    expect([response.status, response.body.code]).toEqual([401, 'token_missing']);
  });

  it('leaves the query of public routes alone (health checks, the /admin page and its sign-in callback)', async () => {
    expect((await call(url('/health/live?probe=1'))).status).toBe(200);
    expect((await call(url('/admin?code=abc&state=def'))).status).toBe(200);
  });
});
