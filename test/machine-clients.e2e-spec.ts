import { randomUUID } from 'node:crypto';
import { FakePool } from './support/fake-pool.js';
import { call } from './support/http.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { insertUsers, type InsertedUser } from './support/users.js';

const USERS_READ = 'backend/users.read';
const NO_ROW = '00000000-0000-4000-8000-000000000000';

interface UserBody {
  id: string;
  sub: string;
  email: string | null;
  username: string | null;
  groups?: unknown;
}
interface ListBody {
  items: UserBody[];
  page: number;
  pageSize: number;
  total: number;
}

describe('Machine clients (client credentials) and the read-only users API', () => {
  const pool = new FakePool();
  let sut: TestApp;
  let ada: InsertedUser;
  const users = (path = '') => `${sut.url}/api/v1/users${path}`;

  beforeAll(async () => {
    await pool.start();
    sut = await startTestApp({ env: pool.env() });
    const email = `ada-${randomUUID().slice(0, 6)}@example.org`;
    [ada] = await insertUsers(sut.db, [
      { username: 'ada', email, firstName: 'Ada' },
      { username: 'ada2', email: email.toUpperCase() },
      { username: 'Ada', email: `x${email}` },
    ]);
  });
  afterAll(async () => {
    await sut.close();
    await pool.stop();
  });

  /** Rows and GetUser calls made while `run` runs: a machine client must cause neither. */
  async function sideEffects(run: () => Promise<void>): Promise<{ rows: number; getUserCalls: number }> {
    const count = async () => Number((await sut.db.query<{ n: string }>('SELECT count(*) AS n FROM users'))[0].n);
    const [rowsBefore, callsBefore] = [await count(), pool.getUserRequests];
    await run();
    return { rows: (await count()) - rowsBefore, getUserCalls: pool.getUserRequests - callsBefore };
  }

  describe('refusals before any access rule', () => {
    it.each(['', '/00000000-0000-4000-8000-000000000000'])(
      'answers 401 without a token or with a bad one on /api/v1/users%s',
      async (path) => {
        const missing = await call(users(path));
        expect([missing.status, missing.body.code]).toEqual([401, 'token_missing']);
        const bad = await call(users(path), { token: pool.mintMachine(USERS_READ, { exp: Math.floor(Date.now() / 1000) - 600 }) });
        expect([bad.status, bad.body.code]).toEqual([401, 'token_expired']);
        const forged = await call(users(path), { token: `${pool.mintMachine(USERS_READ).slice(0, -4)}AAAA` });
        expect([forged.status, forged.body.code]).toEqual([401, 'token_invalid']);
      },
    );

    it('checks the client id of a machine token against COGNITO_CLIENT_IDS like any other', async () => {
      const response = await call(users(), { token: pool.mintMachine(USERS_READ, { client_id: 'unlisted-client' }) });
      expect([response.status, response.body.code]).toEqual([401, 'token_wrong_client']);
    });
  });

  describe('with the users.read scope', () => {
    it('finds users by exact email, username or sub, in the /me shape without groups', async () => {
      const token = pool.mintMachine(`openid ${USERS_READ} other/thing`);
      const effects = await sideEffects(async () => {
        const byEmail = await call<ListBody>(users(`?email=${encodeURIComponent((await row(ada.id)).email!)}`), { token });
        expect(byEmail.status).toBe(200);
        expect(byEmail.body).toMatchObject({ page: 1, pageSize: 20, total: 1, items: [{ id: ada.id, username: 'ada' }] });
        expect(byEmail.body.items[0]).not.toHaveProperty('groups');
        expect(Object.keys(byEmail.body.items[0]).sort()).toEqual(
          [
            'createdAt',
            'email',
            'emailVerified',
            'firstName',
            'githubHandle',
            'id',
            'isActive',
            'lastName',
            'linkedinAccount',
            'phone',
            'pool',
            'preferredEmail',
            'slackMemberId',
            'sub',
            'textingOk',
            'timeZone',
            'updatedAt',
            'username',
          ].sort(),
        );
        const byUsername = await call<ListBody>(users('?username=ada'), { token });
        expect(byUsername.body.items.map((user) => user.id)).toEqual([ada.id]);
        const bySub = await call<ListBody>(users(`?sub=${ada.sub}&username=ada`), { token });
        expect(bySub.body.items.map((user) => user.id)).toEqual([ada.id]);
        const noMatch = await call<ListBody>(users(`?sub=${ada.sub}&username=ada2`), { token });
        expect(noMatch.body).toMatchObject({ items: [], total: 0 });
      });
      expect(effects).toEqual({ rows: 0, getUserCalls: 0 });
    });

    it('pages like the admin list, and refuses bad paging', async () => {
      const token = pool.mintMachine(USERS_READ);
      const first = await call<ListBody>(users('?pageSize=2'), { token });
      expect(first.body).toMatchObject({ page: 1, pageSize: 2, total: 3 });
      expect(first.body.items).toHaveLength(2);
      const second = await call<ListBody>(users('?pageSize=2&page=2'), { token });
      expect(second.body.items).toHaveLength(1);
      expect(new Set([...first.body.items, ...second.body.items].map((user) => user.id)).size).toBe(3);
      expect((await call(users('?pageSize=101'), { token })).body.code).toBe('validation_failed');
      expect((await call(users('?search=ada'), { token })).body.code).toBe('validation_failed');
    });

    it('reads one user by id; 404 for an unknown id, 400 for a malformed one', async () => {
      const token = pool.mintMachine(USERS_READ);
      const one = await call<UserBody>(users(`/${ada.id}`), { token });
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({ id: ada.id, sub: ada.sub, username: 'ada' });
      expect(one.body).not.toHaveProperty('groups');
      expect((await call(users(`/${NO_ROW}`), { token })).body).toMatchObject({ statusCode: 404, code: 'not_found' });
      expect((await call(users('/not-a-uuid'), { token })).status).toBe(400);
    });
  });

  describe('without the scope', () => {
    it.each([
      ['another scope', 'backend/users.write'],
      ['a near-miss', 'backend/users.readonly'],
      ['the same scope of another resource server', 'other/users.read'],
      ['no scope at all', undefined],
    ])('answers 403 insufficient_scope with the RFC 6750 challenge for %s', async (_case, scope) => {
      const token = scope === undefined ? pool.mintMachine('', { scope: undefined }) : pool.mintMachine(scope);
      for (const path of ['', `/${ada.id}`]) {
        const response = await call(users(path), { token });
        expect(response.status).toBe(403);
        expect(response.body).toMatchObject({ statusCode: 403, error: 'Forbidden', code: 'insufficient_scope' });
        expect(response.headers.get('www-authenticate')).toBe(`Bearer realm="api", error="insufficient_scope", scope="${USERS_READ}"`);
      }
    });
  });

  describe('on routes for people', () => {
    it.each([
      ['GET', '/api/v1/me', undefined],
      ['PATCH', '/api/v1/me', { firstName: 'Robot' }],
      ['GET', '/api/v1/admin/users', undefined],
      ['GET', `/api/v1/admin/users/${NO_ROW}`, undefined],
      ['PATCH', `/api/v1/admin/users/${NO_ROW}`, { isActive: false }],
      ['GET', '/api/v1/admin/audit', undefined],
    ])('answers 403 user_token_required on %s %s, whatever the scopes, and writes nothing', async (method, path, body) => {
      const effects = await sideEffects(async () => {
        for (const scope of [USERS_READ, 'aws.cognito.signin.user.admin']) {
          const response = await call(`${sut.url}${path}`, { method, body, token: pool.mintMachine(scope) });
          expect([response.status, response.body.code]).toEqual([403, 'user_token_required']);
        }
      });
      expect(effects).toEqual({ rows: 0, getUserCalls: 0 });
      expect(await sut.db.query('SELECT id FROM users WHERE sub = $1', [pool.machineClientId])).toEqual([]);
    });
  });

  describe('people on the users API', () => {
    it('serves admins, without any scope', async () => {
      const token = pool.mint({ 'cognito:groups': ['admin'] });
      expect((await call<ListBody>(users('?username=ada'), { token })).body.total).toBe(1);
      expect((await call(users(`/${ada.id}`), { token })).status).toBe(200);
    });

    it('refuses other people with 403 forbidden, even with the scope in their token', async () => {
      const token = pool.mint({ 'cognito:groups': ['staff'], scope: `aws.cognito.signin.user.admin ${USERS_READ}` });
      for (const path of ['', `/${ada.id}`]) {
        expect((await call(users(path), { token })).body).toMatchObject({ statusCode: 403, code: 'forbidden' });
      }
    });
  });

  async function row(id: string): Promise<{ email: string | null }> {
    const [found] = await sut.db.query<{ email: string | null }>('SELECT email FROM users WHERE id = $1', [id]);
    return found;
  }
});

describe('COGNITO_RESOURCE_SERVER', () => {
  const pool = new FakePool();
  let sut: TestApp;

  beforeAll(async () => {
    await pool.start();
    sut = await startTestApp({ env: { ...pool.env(), COGNITO_RESOURCE_SERVER: 'https://api.example.com' } });
  });
  afterAll(async () => {
    await sut.close();
    await pool.stop();
  });

  it('names the scope the users API requires', async () => {
    const url = `${sut.url}/api/v1/users`;
    expect((await call(url, { token: pool.mintMachine('https://api.example.com/users.read') })).status).toBe(200);
    const refused = await call(url, { token: pool.mintMachine(USERS_READ) });
    expect(refused.headers.get('www-authenticate')).toBe(
      'Bearer realm="api", error="insufficient_scope", scope="https://api.example.com/users.read"',
    );
  });
});
