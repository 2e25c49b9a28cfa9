import { createPoolUser, nextSecond, signIn, updatePoolAttributes } from './support/cognito.js';
import { call } from './support/http.js';
import { claims } from './support/jwt-claims.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

const CHALLENGE = /^Bearer realm="api", error="invalid_token", error_description="[^"]+"$/;

describe('Users stay in step with the pool (against the Cognito emulator)', () => {
  let sut: TestApp;
  let adminToken: string;
  let adminId: string;

  const me = (token: string, init: { method?: string; body?: unknown } = {}) => call(`${sut.url}/api/v1/me`, { token, ...init });
  const admin = (path: string, method = 'GET', body?: unknown) =>
    call(`${sut.url}/api/v1/admin/users${path}`, { token: adminToken, method, body });

  /** A new pool user who has called the API once: their id, username, password and token. */
  async function member(attributes?: Record<string, string>) {
    const user = await createPoolUser(attributes && { attributes });
    const { accessToken } = await signIn(user.username, user.password);
    const first = await me(accessToken);
    expect(first.status).toBe(200);
    return { ...user, id: first.body.id as string, token: accessToken };
  }

  beforeAll(async () => {
    sut = await startTestApp();
    adminToken = (await signIn('admin')).accessToken;
    adminId = (await me(adminToken)).body.id as string;
  });
  afterAll(async () => {
    await sut.close();
  });

  it('refuses every new route without a token or with a bad one', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const routes: Array<[string, string]> = [
      ['POST', '/api/v1/me/sign-out-everywhere'],
      ['POST', `/api/v1/admin/users/${id}/sign-out-everywhere`],
      ['POST', `/api/v1/admin/users/${id}/refresh-from-pool`],
      ['DELETE', `/api/v1/admin/users/${id}`],
    ];
    for (const [method, path] of routes) {
      const missing = await call(`${sut.url}${path}`, { method });
      expect([path, missing.status, missing.body.code]).toEqual([path, 401, 'token_missing']);
      const bad = await call(`${sut.url}${path}`, { method, token: 'aaa.bbb.ccc' });
      expect([path, bad.status]).toEqual([path, 401]);
    }
  });

  describe('sign out everywhere', () => {
    it("revokes the caller's tokens (401 token_revoked with a challenge), signs the user out at the pool too, and a new sign-in works at once", async () => {
      const user = await member();
      const response = await call(`${sut.url}/api/v1/me/sign-out-everywhere`, { method: 'POST', token: user.token });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        poolSignOut: 'done',
        revokedBefore: expect.any(String),
        message: expect.stringContaining('401 token_revoked'),
      });

      const old = await me(user.token);
      expect(old.status).toBe(401);
      expect(old.body).toEqual({ statusCode: 401, error: 'Unauthorized', code: 'token_revoked', message: expect.any(String) });
      expect(old.headers.get('www-authenticate')).toMatch(CHALLENGE);

      // No waiting: a sign-in right after the answer has a later iat second.
      const fresh = await signIn(user.username, user.password);
      expect((await me(fresh.accessToken)).status).toBe(200);
    });

    it('also refuses a token issued in the same second as the sign-out, just before it', async () => {
      const user = await member();
      await nextSecond();
      const sameSecond = await signIn(user.username, user.password);
      const keeper = await signIn(user.username, user.password);
      const started = Date.now();
      expect((await call(`${sut.url}/api/v1/me/sign-out-everywhere`, { method: 'POST', token: keeper.accessToken })).status).toBe(200);
      expect(Date.now() - started).toBeLessThan(1500);
      expect((await me(sameSecond.accessToken)).body.code).toBe('token_revoked');
      expect((await me((await signIn(user.username, user.password)).accessToken)).status).toBe(200);
    });

    it('lets an admin sign a user out everywhere (audited), and the user back in with a new sign-in', async () => {
      const user = await member();
      const response = await admin(`/${user.id}/sign-out-everywhere`, 'POST');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ poolSignOut: 'done', message: expect.any(String) });
      expect((await me(user.token)).body.code).toBe('token_revoked');
      expect((await me((await signIn(user.username, user.password)).accessToken)).status).toBe(200);
      const [entry] = await sut.db.query('SELECT action, actor_id FROM audit_entries WHERE target_id = $1', [user.id]);
      expect(entry).toEqual({ action: 'user.signed_out', actor_id: adminId });
    });

    it('answers 404 for an unknown user', async () => {
      expect((await admin('/00000000-0000-4000-8000-000000000000/sign-out-everywhere', 'POST')).status).toBe(404);
    });
  });

  describe('the profile follows the pool', () => {
    it('follows names changed in the pool while the user has not edited them here', async () => {
      const user = await member({ email: 'names@example.com', given_name: 'First', family_name: 'Last' });
      await updatePoolAttributes(user.username, { given_name: 'Renamed', family_name: 'Later' });
      await nextSecond();
      const { accessToken } = await signIn(user.username, user.password);
      await me(accessToken);
      await waitFor(async () => expect((await me(accessToken)).body).toMatchObject({ firstName: 'Renamed', lastName: 'Later' }), {
        timeout: 2000,
        message: 'the names from the pool',
      });
    });

    it('shows an email changed in the pool on /me after the next sign-in, keeping the names once the user edited them', async () => {
      const user = await member({ email: 'before@example.com', email_verified: 'true', given_name: 'Pool', family_name: 'Name' });
      expect((await me(user.token, { method: 'PATCH', body: { firstName: 'Mine' } })).status).toBe(200);
      await updatePoolAttributes(user.username, { email: 'after@example.com', given_name: 'Changed', family_name: 'Surname' });

      // The same sign-in does not read the pool again.
      expect((await me(user.token)).body.email).toBe('before@example.com');
      await nextSecond();
      const { accessToken } = await signIn(user.username, user.password);
      const first = await me(accessToken);
      expect(first.status).toBe(200);
      await waitFor(
        async () => expect((await me(accessToken)).body).toMatchObject({ email: 'after@example.com', firstName: 'Mine', lastName: 'Name' }),
        { timeout: 2000, message: 'the email from the pool' },
      );
    });

    it('refreshes from the pool when an admin asks (audited)', async () => {
      const user = await member({ email: 'old@example.com', email_verified: 'false' });
      await updatePoolAttributes(user.username, { email: 'new@example.com', email_verified: 'true' });
      const response = await admin(`/${user.id}/refresh-from-pool`, 'POST');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: user.id, email: 'new@example.com', emailVerified: true });
      expect((await me(user.token)).body.email).toBe('new@example.com');
      const [entry] = await sut.db.query('SELECT action, before, after FROM audit_entries WHERE target_id = $1', [user.id]);
      expect(entry).toEqual({
        action: 'user.refreshed',
        before: { email: 'old@example.com', emailVerified: false },
        after: { email: 'new@example.com', emailVerified: true },
      });
    });
  });

  describe('last seen', () => {
    it('stamps users known before but not seen by this instance, together in one write, after the answers', async () => {
      const users = await Promise.all([1, 2, 3].map(() => createPoolUser()));
      const tokens = await Promise.all(users.map(async (user) => (await signIn(user.username, user.password)).accessToken));
      const subs = tokens.map((token) => claims(token).sub as string);
      // Rows as another instance (or an earlier process) left them: never seen, profile already copied.
      await sut.db.query(
        `INSERT INTO users (sub, username, profile_synced_at) SELECT sub, 'known-' || sub, now() + interval '1 hour' FROM unnest($1::text[]) AS sub`,
        [subs],
      );
      const answers = await Promise.all(tokens.map((token) => me(token)));
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
      const stamps = async () =>
        (await sut.db.query<{ at: Date | null }>('SELECT last_seen_at AS at FROM users WHERE sub = ANY($1::text[])', [subs])).map(
          (row) => row.at,
        );
      const written = await waitFor(
        async () => {
          const at = await stamps();
          expect(at.every((stamp) => stamp instanceof Date)).toBe(true);
          return at;
        },
        { message: 'the three stamps' },
      );
      // One UPDATE: now() is its transaction's start, the same for every row it wrote.
      expect(new Set(written.map((at) => at!.getTime())).size).toBe(1);
    });

    it('is written on the first request and not again on the next ones; admins sort and filter by it', async () => {
      const user = await member();
      const lastSeenOf = async (id: string) =>
        (await sut.db.query<{ at: Date | null }>('SELECT last_seen_at AS at FROM users WHERE id = $1', [id]))[0].at;
      const stamped = (id: string) =>
        waitFor(
          async () => {
            const at = await lastSeenOf(id);
            expect(at).toBeInstanceOf(Date);
            return at;
          },
          { timeout: 3000, message: 'the last-seen stamp' },
        );
      // Written in the background, never slowing the request.
      const first = await stamped(user.id);
      await me(user.token);
      await me(user.token);
      // Stamps are written in the order they come: once a later user's is there, an earlier one would be too.
      await stamped((await member()).id);
      expect(await lastSeenOf(user.id)).toEqual(first);

      await sut.db.query(`UPDATE users SET last_seen_at = now() - interval '40 days' WHERE id = $1`, [user.id]);
      const stale = await admin('/?notSeenForDays=30&pageSize=100');
      expect(stale.status).toBe(200);
      const ids = (stale.body.items as Array<{ id: string; lastSeenAt: string | null }>).map((item) => item.id);
      expect(ids).toContain(user.id);
      expect(ids).not.toContain(adminId);
      const sorted = await admin('/?sort=lastSeenAt&order=asc&pageSize=100');
      const seen = (sorted.body.items as Array<{ lastSeenAt: string | null }>).map((item) => item.lastSeenAt).filter(Boolean) as string[];
      expect(seen).toEqual([...seen].sort());
      expect((await admin('/?notSeenForDays=0')).status).toBe(400);
    });
  });

  describe('erasure', () => {
    it('erases every personal value in one transaction with an audit entry naming actor, target and time only', async () => {
      const email = `erase-${Date.now()}@example.com`;
      const user = await member({ email, email_verified: 'true', given_name: 'Erin', family_name: 'Erased' });
      expect((await admin(`/${user.id}`, 'PATCH', { firstName: 'Erina', phone: '+14155550123' })).status).toBe(200);

      const response = await admin(`/${user.id}`, 'DELETE');
      expect([response.status, response.body]).toEqual([200, { id: user.id, erased: true, pool: { deleted: true } }]);

      // Every text of every table, as PostgreSQL renders each row.
      const tables = await sut.db.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
      );
      for (const { table_name } of tables) {
        const rows = await sut.db.query(
          `SELECT count(*)::int AS n FROM "${table_name}" t WHERE t::text ILIKE $1 OR t::text ILIKE $2 OR t::text ILIKE $3`,
          [`%${email}%`, `%${user.username}%`, '%Erin%'],
        );
        expect([table_name, rows[0].n]).toEqual([table_name, 0]);
      }
      const entries = await sut.db.query(
        'SELECT action, actor_id, before, after FROM audit_entries WHERE target_id = $1 ORDER BY created_at',
        [user.id],
      );
      expect(entries).toEqual([
        { action: 'user.updated', actor_id: adminId, before: { firstName: null, phone: null }, after: { firstName: null, phone: null } },
        { action: 'user.erased', actor_id: adminId, before: {}, after: {} },
        { action: 'user.pool_deleted', actor_id: adminId, before: {}, after: { pool: 'deleted' } },
      ]);

      expect((await me(user.token)).body.code).toBe('token_revoked');
      // The pool account is gone too: it cannot sign in any more.
      await expect(signIn(user.username, user.password)).rejects.toThrow();
      const [row] = await sut.db.query('SELECT email, username FROM users WHERE id = $1', [user.id]);
      expect(row).toEqual({ email: null, username: null });
      expect((await admin(`/${user.id}`)).status).toBe(404);
      expect((await admin(`/${user.id}`, 'DELETE')).status).toBe(404);
      const list = await admin('/?pageSize=100');
      expect((list.body.items as Array<{ id: string }>).map((item) => item.id)).not.toContain(user.id);
    });

    it('refuses an admin erasing themselves (409) and erases nothing', async () => {
      const response = await admin(`/${adminId}`, 'DELETE');
      expect(response.status).toBe(409);
      expect(response.body.code).toBe('cannot_erase_self');
      expect((await me(adminToken)).body.username).toBe('admin');
    });
  });
});
