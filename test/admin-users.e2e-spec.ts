import { randomUUID } from 'node:crypto';
import { createPoolUser, signIn } from './support/cognito.js';
import { call } from './support/http.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { insertUsers } from './support/users.js';

interface UserBody {
  id: string;
  username: string | null;
  isActive: boolean;
  [field: string]: unknown;
}
interface PageBody {
  items: UserBody[];
  page: number;
  pageSize: number;
  total: number;
  totalIsEstimate: boolean;
  /** On error answers. */
  code?: string;
  message?: string;
}

describe('/api/v1/admin/users', () => {
  let sut: TestApp;
  let adminToken: string;
  let aliceToken: string;
  let adminId: string;
  let aliceId: string;

  const api = (path: string) => `${sut.url}/api/v1/admin${path}`;
  const list = async (query: string, token = adminToken) => call<PageBody>(api(`/users?${query}`), { token });
  const usernames = (page: PageBody) => page.items.map((user) => user.username);
  const auditCount = async () => (await sut.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_entries'))[0].n;

  beforeAll(async () => {
    sut = await startTestApp();
    adminToken = (await signIn('admin')).accessToken;
    aliceToken = (await signIn('alice')).accessToken;
    // Rows are created on a user's first call.
    adminId = (await call(`${sut.url}/api/v1/me`, { token: adminToken })).body.id as string;
    aliceId = (await call(`${sut.url}/api/v1/me`, { token: aliceToken })).body.id as string;
  });
  afterAll(async () => {
    await sut.close();
  });

  describe('who may call it', () => {
    const routes = (): Array<[string, string, unknown?]> => [
      ['GET', '/users'],
      ['GET', `/users/${aliceId}`],
      ['PATCH', `/users/${aliceId}`, { firstName: 'Mallory' }],
      ['POST', `/users/${aliceId}/refresh-from-pool`],
      ['POST', `/users/${aliceId}/sign-out-everywhere`],
      ['DELETE', `/users/${aliceId}`],
      ['GET', '/audit'],
    ];

    it('answers 401 without a token, and to a bad token, on every admin route', async () => {
      for (const [method, path, body] of routes()) {
        const missing = await call(api(path), { method, body });
        expect([method, path, missing.status, missing.body.code]).toEqual([method, path, 401, 'token_missing']);
        const bad = await call(api(path), { method, body, token: 'aaa.bbb.ccc' });
        expect([method, path, bad.status]).toEqual([method, path, 401]);
        expect(bad.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
      }
    });

    it('answers 403 forbidden to a signed-in member who is not an admin, and changes nothing', async () => {
      for (const [method, path, body] of routes()) {
        const response = await call(api(path), { method, body, token: aliceToken });
        expect([method, path, response.status]).toEqual([method, path, 403]);
        expect(response.body).toEqual({
          statusCode: 403,
          error: 'Forbidden',
          code: 'forbidden',
          message: 'Only admins may do this; your account is not in an admin group.',
        });
      }
      const [row] = await sut.db.query('SELECT first_name FROM users WHERE id = $1', [aliceId]);
      expect(row.first_name).toBe('Alice');
      expect(await auditCount()).toBe(0);
    });

    it('answers a non-admin with 403 before looking at the request, so a bad id does not reveal the route', async () => {
      const response = await call(api('/users/not-a-uuid'), { token: aliceToken });
      expect(response.status).toBe(403);
    });

    it('answers 200 to a member of the admin group', async () => {
      for (const [method, path] of routes().filter(([method]) => method === 'GET')) {
        const response = await call(api(path), { method, token: adminToken });
        expect([method, path, response.status]).toEqual([method, path, 200]);
      }
    });

    it('refuses a deactivated admin with 403 account_disabled on the admin routes too', async () => {
      const other = await createPoolUser({ groups: ['admin'] });
      const { accessToken } = await signIn(other.username, other.password);
      const me = await call(`${sut.url}/api/v1/me`, { token: accessToken });
      expect((await list('', accessToken)).status).toBe(200);

      const deactivated = await call(api(`/users/${me.body.id as string}`), {
        method: 'PATCH',
        token: adminToken,
        body: { isActive: false },
      });
      expect(deactivated.status).toBe(200);
      const refused = await list('', accessToken);
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ code: 'account_disabled' });
    });
  });

  describe('listing', () => {
    it('returns users with their stored profile and active state', async () => {
      const response = await list('search=alice');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ items: [expect.any(Object)], page: 1, pageSize: 20, total: 1, totalIsEstimate: false });
      const [alice] = response.body.items;
      expect(alice).toMatchObject({
        id: aliceId,
        username: 'alice',
        email: 'alice@example.com',
        firstName: 'Alice',
        lastName: 'Liddell',
        isActive: true,
      });
      expect(alice).not.toHaveProperty('groups');
      expect(alice).not.toHaveProperty('profileSyncedAt');
    });

    it('pages through users created at the same instant without losing or repeating one', async () => {
      const sameInstant = new Date('2025-01-01T00:00:00Z');
      const created = await insertUsers(
        sut.db,
        Array.from({ length: 25 }, (_, i) => ({ username: `pager-${String(i).padStart(2, '0')}`, createdAt: sameInstant })),
      );
      const pages = [];
      for (const page of [1, 2, 3, 4]) {
        const response = await list(`search=pager-&pageSize=10&page=${page}`);
        expect(response.status).toBe(200);
        expect(response.body.total).toBe(25);
        pages.push(response.body.items.map((user) => user.id));
      }
      expect(pages.map((ids) => ids.length)).toEqual([10, 10, 5, 0]);
      const seen = pages.flat();
      expect(new Set(seen).size).toBe(25);
      expect(seen.sort()).toEqual(created.map((user) => user.id).sort());
      // The same query gives the same order every time.
      const again = await list('search=pager-&pageSize=10&page=2');
      expect(again.body.items.map((user) => user.id)).toEqual(pages[1]);
    });

    it('caps the page size and refuses out-of-range or malformed paging', async () => {
      expect((await list('pageSize=100')).status).toBe(200);
      for (const query of ['pageSize=101', 'pageSize=0', 'page=0', 'page=-1', 'page=1.5', 'pageSize=ten', 'page=1&page=2']) {
        const response = await list(query);
        expect([query, response.status, response.body.code]).toEqual([query, 400, 'validation_failed']);
      }
      expect((await list('pageSize=101')).body.message).toMatch(/pageSize must not be greater than 100/);
    });

    it('refuses unknown query parameters and sort fields', async () => {
      for (const query of ['role=admin', 'sort=sub', 'order=sideways']) {
        expect([query, (await list(query)).status]).toEqual([query, 400]);
      }
    });

    it('searches email, username, first and last name and the full name, ignoring case', async () => {
      await insertUsers(sut.db, [
        { username: 'zq_one', email: 'zed@quux.example', firstName: 'Zebedee', lastName: 'Quuxley' },
        { username: 'zqXone', email: 'other@quux.example', firstName: 'Yolanda', lastName: 'Zimmer' },
      ]);
      expect(usernames((await list('search=ZEBEDEE')).body)).toEqual(['zq_one']);
      expect(usernames((await list('search=quuxley')).body)).toEqual(['zq_one']);
      expect(usernames((await list('search=zed%40quux')).body)).toEqual(['zq_one']);
      expect(usernames((await list('search=zebedee%20quux')).body)).toEqual(['zq_one']);
      expect(usernames((await list('search=zimmer')).body)).toEqual(['zqXone']);
      expect(usernames((await list('search=quux.example&sort=email&order=asc')).body)).toEqual(['zqXone', 'zq_one']);
      expect(usernames((await list('search=quux.example&sort=email&order=desc')).body)).toEqual(['zq_one', 'zqXone']);
    });

    it('sorts by a column that may be empty: empty values last in both directions, pages that neither overlap nor skip', async () => {
      const long = 'Z'.repeat(2048); // the longest pool attribute: sorted on its first 256 characters
      const users = await insertUsers(
        sut.db,
        [null, 'Bravo', null, 'Alpha', long, 'Charlie'].map((lastName, i) => ({
          username: `sorted-${i}`,
          email: `s${i}@sorting.example`,
          lastName,
        })),
      );
      const empty = [users[0].id, users[2].id].sort(); // uuid order: PostgreSQL compares their bytes
      const ids = (page: PageBody) => page.items.map((user) => user.id);
      const all = async (order: string) => {
        const pages = [];
        for (let page = 1; page <= 3; page++)
          pages.push(...ids((await list(`search=sorting.example&sort=lastName&order=${order}&pageSize=2&page=${page}`)).body));
        return pages;
      };
      const named = (...indexes: number[]) => indexes.map((index) => users[index].id);
      expect(await all('asc')).toEqual([...named(3, 1, 5, 4), ...empty]);
      expect(await all('desc')).toEqual([...named(4, 5, 1, 3), ...[...empty].reverse()]);
      expect(ids((await list('search=sorting.example&sort=lastName&order=asc&pageSize=100')).body)).toEqual([
        ...named(3, 1, 5, 4),
        ...empty,
      ]);
    });

    it('matches LIKE wildcards literally', async () => {
      await insertUsers(sut.db, [
        { username: 'wild_card', email: '100%sure@example.com' },
        { username: 'wildXcard', email: '1000sure@example.com' },
        { username: 'back\\slash' },
      ]);
      expect(usernames((await list('search=wild_')).body)).toEqual(['wild_card']);
      expect(usernames((await list('search=100%25')).body)).toEqual(['wild_card']);
      expect(usernames((await list('search=k%5Cs')).body)).toEqual(['back\\slash']);
      expect((await list('search=%25')).body.total).toBe(1);
    });

    it('counts exactly up to 1,000 matches, and says when the total is an estimate beyond', async () => {
      const many = (count: number, prefix: string) =>
        insertUsers(
          sut.db,
          Array.from({ length: count }, (_, i) => ({ username: `${prefix}-${i}` })),
        );
      await many(1000, 'exactly');
      const exact = await list('search=exactly-');
      expect([exact.status, exact.body.total, exact.body.totalIsEstimate]).toEqual([200, 1000, false]);
      await many(1001, 'beyond');
      await sut.db.query('ANALYZE users');
      const estimated = await list('search=beyond-');
      expect([estimated.status, estimated.body.totalIsEstimate]).toEqual([200, true]);
      expect(estimated.body.total).toBeGreaterThan(1000);
      expect(estimated.body.items).toHaveLength(20);
      const everyone = await list('');
      expect([everyone.body.totalIsEstimate, everyone.body.total > 2000]).toEqual([true, true]);
    });

    it('filters on the active state', async () => {
      await insertUsers(sut.db, [
        { username: 'sleepy-1', isActive: false },
        { username: 'sleepy-2', isActive: true },
      ]);
      expect(usernames((await list('search=sleepy&isActive=false')).body)).toEqual(['sleepy-1']);
      expect(usernames((await list('search=sleepy&isActive=true')).body)).toEqual(['sleepy-2']);
      expect((await list('search=sleepy')).body.total).toBe(2);
      expect((await list('isActive=yes')).status).toBe(400);
    });
  });

  describe('one user', () => {
    it('answers 400 to an id that is not a uuid and 404 to an unknown one', async () => {
      const bad = await call(api('/users/not-a-uuid'), { token: adminToken });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('validation_failed');
      const unknown = await call(api(`/users/${randomUUID()}`), { token: adminToken });
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('not_found');
      const patched = await call(api(`/users/${randomUUID()}`), { method: 'PATCH', token: adminToken, body: { isActive: false } });
      expect(patched.status).toBe(404);
    });

    it('returns a user by id', async () => {
      const response = await call<UserBody>(api(`/users/${aliceId}`), { token: adminToken });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: aliceId, username: 'alice', email: 'alice@example.com', isActive: true });
    });
  });

  describe('changes', () => {
    it('deactivates a user, who is refused at once, and reactivates them', async () => {
      const off = await call<UserBody>(api(`/users/${aliceId}`), { method: 'PATCH', token: adminToken, body: { isActive: false } });
      expect(off.status).toBe(200);
      expect(off.body).toMatchObject({ id: aliceId, isActive: false, email: 'alice@example.com' });
      const refused = await call(`${sut.url}/api/v1/me`, { token: aliceToken });
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('account_disabled');
      // Deactivation keeps the data.
      const [row] = await sut.db.query('SELECT is_active, email, first_name FROM users WHERE id = $1', [aliceId]);
      expect(row).toEqual({ is_active: false, email: 'alice@example.com', first_name: 'Alice' });

      const on = await call<UserBody>(api(`/users/${aliceId}`), { method: 'PATCH', token: adminToken, body: { isActive: true } });
      expect(on.status).toBe(200);
      expect(on.body.isActive).toBe(true);
      expect((await call(`${sut.url}/api/v1/me`, { token: aliceToken })).status).toBe(200);
    });

    it('corrects profile fields with the same rules as /me', async () => {
      const [target] = await insertUsers(sut.db, [{ username: 'fixme', firstName: 'Jhon' }]);
      const fixed = await call<UserBody>(api(`/users/${target.id}`), {
        method: 'PATCH',
        token: adminToken,
        body: { firstName: 'John', phone: '+14155550123', timeZone: 'Europe/Berlin', slackMemberId: null },
      });
      expect(fixed.status).toBe(200);
      expect(fixed.body).toMatchObject({ firstName: 'John', phone: '+14155550123', timeZone: 'Europe/Berlin', slackMemberId: null });

      const before = await auditCount();
      for (const body of [
        { phone: '4155550123' },
        { timeZone: 'Mars/Olympus' },
        { firstName: '' },
        { githubHandle: '-bad-' },
        { isActive: 'no' },
        { email: 'someone@example.com' },
        { sub: 'another-sub' },
        { firstName: 'Ok', username: 'root' },
      ]) {
        const response = await call(api(`/users/${target.id}`), { method: 'PATCH', token: adminToken, body });
        expect([body, response.status, response.body.code]).toEqual([body, 400, 'validation_failed']);
      }
      const [row] = await sut.db.query('SELECT first_name, phone, username, email, is_active FROM users WHERE id = $1', [target.id]);
      expect(row).toEqual({ first_name: 'John', phone: '+14155550123', username: 'fixme', email: null, is_active: true });
      expect(await auditCount()).toBe(before);
    });

    it('refuses to let an admin deactivate themselves', async () => {
      const before = await auditCount();
      const response = await call(api(`/users/${adminId}`), { method: 'PATCH', token: adminToken, body: { isActive: false } });
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ code: 'cannot_deactivate_self', message: expect.stringMatching(/lock yourself out/) });
      const shouted = await call(api(`/users/${adminId.toUpperCase()}`), { method: 'PATCH', token: adminToken, body: { isActive: false } });
      expect(shouted.status).toBe(409);
      expect((await call(`${sut.url}/api/v1/me`, { token: adminToken })).status).toBe(200);
      expect(await auditCount()).toBe(before);
      // Correcting one's own profile is fine.
      const own = await call(api(`/users/${adminId}`), { method: 'PATCH', token: adminToken, body: { timeZone: 'UTC' } });
      expect(own.status).toBe(200);
    });

    it('applies two simultaneous identical deactivations once', async () => {
      const [target] = await insertUsers(sut.db, [{ username: 'twice' }]);
      const responses = await Promise.all(
        [1, 2].map(() => call<UserBody>(api(`/users/${target.id}`), { method: 'PATCH', token: adminToken, body: { isActive: false } })),
      );
      expect(responses.map((response) => [response.status, response.body.isActive])).toEqual([
        [200, false],
        [200, false],
      ]);
      const entries = await sut.db.query('SELECT action FROM audit_entries WHERE target_id = $1', [target.id]);
      expect(entries).toEqual([{ action: 'user.deactivated' }]);
    });
  });
});
