import { randomUUID } from 'node:crypto';
import { CreateGroupCommand, ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { emulatorClient } from '@backend/local-cognito';
import { createPoolUser, passwordSignIn, signIn } from './support/cognito.js';
import { FakePool } from './support/fake-pool.js';
import { selfSignedCertificate } from './support/self-signed-certificate.js';
import { ServerProcess } from './support/server-process.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { call } from './support/http.js';
import { confirmNewPassword, firstSignIn, outboxCode } from './support/invitations.js';
import { testStack } from './support/stack-env.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

type Body = Record<string, unknown> & { code?: string; message?: string };
interface Person extends Body {
  id: string;
  sub: string;
  username: string;
  status: string;
}

const VOLUNTEERS = 'volunteers';

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
}

/** The local pool's own view of an account (ListUsers by sub), as the AWS console would show it. */
async function poolAccount(sub: string): Promise<{ Enabled?: boolean; UserStatus?: string } | undefined> {
  const stack = testStack();
  const cognito = emulatorClient(stack.emulatorEndpoint);
  try {
    const { Users } = await cognito.send(new ListUsersCommand({ UserPoolId: stack.userPoolId, Filter: `sub = "${sub}"` }));
    return Users?.[0];
  } finally {
    cognito.destroy();
  }
}

/** A route (method, path under /api/v1/admin, body) and the IAM action it needs. */
type Feature = [method: string, path: string, action: string, body?: unknown];

/** The features that exist only in the pool, for the person `targetId`: no API side to fall back on. */
const poolOnlyFeatures = (targetId: string): Feature[] => [
  ['POST', '/users', 'AdminCreateUser', { email: 'new@example.org' }],
  ['POST', `/users/${targetId}/invitation`, 'AdminCreateUser'],
  ['POST', `/users/${targetId}/reset-password`, 'AdminResetUserPassword'],
  ['GET', '/pool-users', 'ListUsers'],
  ['GET', '/groups', 'ListGroups'],
  ['GET', `/users/${targetId}/groups`, 'AdminListGroupsForUser'],
  ['PUT', `/users/${targetId}/groups/admin`, 'AdminAddUserToGroup'],
  ['DELETE', `/users/${targetId}/groups/admin`, 'AdminRemoveUserFromGroup'],
];

describe('Admins manage people in the pool', () => {
  let sut: TestApp;
  let adminToken: string;
  let adminId: string;
  let aliceToken: string;
  let aliceId: string;

  const api = (path: string) => `${sut.url}/api/v1/admin${path}`;
  const asAdmin = <T = Body>(method: string, path: string, body?: unknown) => call<T>(api(path), { method, body, token: adminToken });
  const auditOf = async (id: string) =>
    sut.db.query<{ action: string; after: Record<string, unknown> }>(
      'SELECT action, after FROM audit_entries WHERE target_id = $1 ORDER BY created_at, id',
      [id],
    );

  /** A confirmed pool account with its API row (its first request made it). */
  async function member(groups: string[] = []): Promise<{ id: string; username: string; password: string; sub: string }> {
    const { username, password } = await createPoolUser({ groups });
    const token = (await signIn(username, password)).accessToken;
    const me = await call<Person>(`${sut.url}/api/v1/me`, { token });
    return { id: me.body.id, username, password, sub: me.body.sub };
  }

  beforeAll(async () => {
    // Rechecks every second: tokens the pool revoked are refused here within a second of their next use.
    sut = await startTestApp({ env: { TOKEN_RECHECK_SECONDS: '1' } });
    const stack = testStack();
    const cognito = emulatorClient(stack.emulatorEndpoint);
    try {
      await cognito.send(new CreateGroupCommand({ UserPoolId: stack.userPoolId, GroupName: VOLUNTEERS, Description: 'People who help' }));
    } catch (error) {
      if ((error as Error).name !== 'GroupExistsException') throw error;
    } finally {
      cognito.destroy();
    }
    adminToken = (await signIn('admin')).accessToken;
    aliceToken = (await signIn('alice')).accessToken;
    adminId = (await call<Person>(`${sut.url}/api/v1/me`, { token: adminToken })).body.id;
    aliceId = (await call<Person>(`${sut.url}/api/v1/me`, { token: aliceToken })).body.id;
  });
  afterAll(async () => {
    await sut.close();
  });

  describe('who may call it', () => {
    const routes = (): Array<[string, string, unknown?]> => [
      ['POST', '/users', { email: 'mallory@example.org' }],
      ['POST', `/users/${aliceId}/invitation`],
      ['GET', '/pool-users'],
      ['GET', '/groups'],
      ['GET', '/pool-access'],
      ['GET', `/users/${aliceId}/groups`],
      ['PUT', `/users/${aliceId}/groups/admin`],
      ['DELETE', `/users/${adminId}/groups/admin`],
      ['POST', `/users/${aliceId}/reset-password`],
      ['PATCH', `/users/${adminId}`, { isActive: false }],
      ['DELETE', `/users/${adminId}`],
    ];

    it('answers 401 without a token, and 403 to a member, on every route, and nothing changes in the pool', async () => {
      for (const [method, path, body] of routes()) {
        const missing = await call(api(path), { method, body });
        expect([method, path, missing.status, (missing.body as Body).code]).toEqual([method, path, 401, 'token_missing']);
        const member = await call(api(path), { method, body, token: aliceToken });
        expect([method, path, member.status, (member.body as Body).code]).toEqual([method, path, 403, 'forbidden']);
      }
      const admin = await asAdmin<{ groups: string[] }>('GET', `/users/${adminId}/groups`);
      expect(admin.body.groups).toContain('admin');
      const alice = await asAdmin<{ groups: string[] }>('GET', `/users/${aliceId}/groups`);
      expect(alice.body.groups).not.toContain('admin');
    });
  });

  describe('invitations', () => {
    it('creates the pool account and an invited row; the first sign-in asks for a new password and finds the same row', async () => {
      const username = `new-${randomUUID().slice(0, 8)}`;
      const email = `${username}@example.org`;
      const invited = await asAdmin<Person & { pool: Body; invitedAt: string }>('POST', '/users', {
        email,
        username,
        firstName: 'Nina',
        lastName: 'Newcomer',
        groups: [VOLUNTEERS],
      });
      expect(invited.status).toBe(201);
      expect(invited.body).toMatchObject({ username, email, firstName: 'Nina', lastName: 'Newcomer', status: 'invited', lastSeenAt: null });
      expect(invited.body.pool).toEqual({ invitationSent: true, groups: [VOLUNTEERS] });
      expect(await poolAccount(invited.body.sub)).toMatchObject({ UserStatus: 'FORCE_CHANGE_PASSWORD', Enabled: true });

      const listed = await asAdmin<{ items: Person[] }>('GET', `/users?search=${username}`);
      expect(listed.body.items.map((user) => [user.id, user.status])).toEqual([[invited.body.id, 'invited']]);
      const inPool = await asAdmin<{ items: Array<Body & { user: Body }> }>('GET', `/pool-users?filter=${username}`);
      expect(inPool.body.items).toEqual([
        expect.objectContaining({
          username,
          email,
          status: 'FORCE_CHANGE_PASSWORD',
          enabled: true,
          user: { id: invited.body.id, status: 'invited' },
        }),
      ]);
      const byEmail = await asAdmin<{ items: Body[] }>('GET', `/pool-users?filter=${encodeURIComponent(email.slice(0, 10))}`);
      expect(byEmail.body.items.map((account) => account.username)).toEqual([username]);

      const signedIn = await firstSignIn(username, await outboxCode(username, 'invitation'), 'Chosen-pass-1');
      expect(signedIn.challenge).toBe('NEW_PASSWORD_REQUIRED');
      expect(claimsOf(signedIn.accessToken)['cognito:groups']).toEqual([VOLUNTEERS]);
      const me = await call<Person>(`${sut.url}/api/v1/me`, { token: signedIn.accessToken });
      expect(me.status).toBe(200);
      expect(me.body.id).toBe(invited.body.id);
      const row = await waitFor(
        async () => {
          const answer = await asAdmin<Person>('GET', `/users/${invited.body.id}`);
          expect(answer.body.status).toBe('active');
          return answer.body;
        },
        { message: 'the invited person to become active' },
      );
      expect(row.invitedAt).toBe(invited.body.invitedAt);
      const rows = await sut.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users WHERE sub = $1', [invited.body.sub]);
      expect(rows[0].n).toBe(1);
      expect(await poolAccount(invited.body.sub)).toMatchObject({ UserStatus: 'CONFIRMED' });

      const [entry] = await auditOf(invited.body.id);
      expect(entry).toEqual({ action: 'user.invited', after: { email, username, groups: VOLUNTEERS } });
      expect(JSON.stringify(await auditOf(invited.body.id))).not.toContain('Chosen-pass-1');
    }, 90_000); // two sign-ins with SRP maths and a password change: slow on a busy machine

    it('resends the invitation with a new temporary password while the first sign-in is pending, and only then', async () => {
      const username = `again-${randomUUID().slice(0, 8)}`;
      const invited = await asAdmin<Person>('POST', '/users', { email: `${username}@example.org`, username });
      const first = await outboxCode(username, 'invitation');
      const resent = await asAdmin('POST', `/users/${invited.body.id}/invitation`);
      expect([resent.status, resent.body.pool]).toEqual([200, { invitationSent: true }]);
      const second = await outboxCode(username, 'invitation');
      expect(second).not.toBe(first);
      await expect(firstSignIn(username, first, 'Chosen-pass-1')).rejects.toThrow();
      expect((await firstSignIn(username, second, 'Chosen-pass-1')).challenge).toBe('NEW_PASSWORD_REQUIRED');
      const again = await asAdmin('POST', `/users/${invited.body.id}/invitation`);
      expect([again.status, again.body.code]).toEqual([409, 'pool_refused']);
      expect((await auditOf(invited.body.id)).map((entry) => entry.action)).toEqual(['user.invited', 'user.invitation_resent']);
    }, 90_000); // two sign-ins with SRP maths and a password change: slow on a busy machine

    it("pages the pool's accounts with the pool's own tokens", async () => {
      const first = await asAdmin<{ items: Body[]; paginationToken: string | null }>('GET', '/pool-users?limit=1');
      expect(first.body.items).toHaveLength(1);
      expect(first.body.paginationToken).toEqual(expect.any(String));
      const second = await asAdmin<{ items: Body[] }>(
        'GET',
        `/pool-users?limit=1&paginationToken=${encodeURIComponent(first.body.paginationToken!)}`,
      );
      expect(second.body.items).toHaveLength(1);
      expect(second.body.items[0].username).not.toBe(first.body.items[0].username);
      const forged = await asAdmin('GET', '/pool-users?paginationToken=not-a-token');
      expect([forged.status, forged.body.code]).toEqual([400, 'invalid_pagination_token']);
      const tooMany = await asAdmin('GET', '/pool-users?limit=61');
      expect([tooMany.status, tooMany.body.code]).toEqual([400, 'validation_failed']);
    });

    it('refuses unknown groups before creating anything, an account that exists, and a bad body', async () => {
      const username = `nope-${randomUUID().slice(0, 8)}`;
      const unknown = await asAdmin('POST', '/users', { email: `${username}@example.org`, username, groups: ['no-such-group'] });
      expect([unknown.status, unknown.body.code]).toEqual([400, 'unknown_group']);
      const listed = await asAdmin<{ items: Body[] }>('GET', `/pool-users?filter=${username}`);
      expect(listed.body.items).toEqual([]);

      const taken = await asAdmin('POST', '/users', { email: 'someone@example.org', username: 'alice' });
      expect([taken.status, taken.body.code]).toEqual([409, 'user_exists']);
      for (const body of [
        {},
        { email: 'not-an-email' },
        { email: 'a@example.org', username: 'has space' },
        { email: 'a@example.org', groups: 'admin' },
        { email: 'a@example.org', isActive: false },
      ]) {
        const refused = await asAdmin('POST', '/users', body);
        expect([JSON.stringify(body), refused.status, refused.body.code]).toEqual([JSON.stringify(body), 400, 'validation_failed']);
      }
    });
  });

  describe('groups', () => {
    it("lists the pool's groups, marking the admin group", async () => {
      const groups = await asAdmin<{ items: Body[] }>('GET', '/groups');
      expect(groups.status).toBe(200);
      expect(groups.body.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'admin', admin: true }),
          expect.objectContaining({ name: VOLUNTEERS, admin: false, description: 'People who help' }),
        ]),
      );
    });

    it("adds and removes a person's group; their next token shows it; audited", async () => {
      const person = await member();
      const added = await asAdmin<{ groups: string[]; message: string }>('PUT', `/users/${person.id}/groups/admin`);
      expect(added.status).toBe(200);
      expect(added.body.groups).toEqual(['admin']);
      expect(added.body.message).toMatch(/next token/);
      const promoted = (await signIn(person.username, person.password)).accessToken;
      expect(claimsOf(promoted)['cognito:groups']).toEqual(['admin']);
      expect((await call(api('/users?pageSize=1'), { token: promoted })).status).toBe(200);

      const removed = await asAdmin<{ groups: string[] }>('DELETE', `/users/${person.id}/groups/admin`);
      expect([removed.status, removed.body.groups]).toEqual([200, []]);
      const demoted = (await signIn(person.username, person.password)).accessToken;
      expect(claimsOf(demoted)['cognito:groups'] ?? []).toEqual([]);
      expect((await call(api('/users?pageSize=1'), { token: demoted })).status).toBe(403);
      expect((await auditOf(person.id)).map((entry) => entry.action)).toEqual(['user.group_added', 'user.group_removed']);
    });

    it('refuses to remove an admin from their own admin group, an unknown group, and a bad group name', async () => {
      const own = await asAdmin('DELETE', `/users/${adminId}/groups/admin`);
      expect([own.status, own.body.code]).toEqual([409, 'cannot_remove_own_admin']);
      expect((await asAdmin<{ groups: string[] }>('GET', `/users/${adminId}/groups`)).body.groups).toContain('admin');
      const unknown = await asAdmin('PUT', `/users/${aliceId}/groups/no-such-group`);
      expect([unknown.status, unknown.body.code]).toEqual([404, 'group_not_found']);
      const bad = await asAdmin('PUT', `/users/${aliceId}/groups/${encodeURIComponent('two words')}`);
      expect([bad.status, bad.body.code]).toEqual([400, 'validation_failed']);
      const noUser = await asAdmin('PUT', `/users/${randomUUID()}/groups/admin`);
      expect([noUser.status, noUser.body.code]).toEqual([404, 'not_found']);
    });
  });

  describe('deactivation, erasure', () => {
    it('disables the account in the pool with the deactivation and enables it with the reactivation', async () => {
      const person = await member();
      const off = await asAdmin<Person & { pool: Body }>('PATCH', `/users/${person.id}`, { isActive: false });
      expect(off.status).toBe(200);
      expect(off.body).toMatchObject({ isActive: false, status: 'deactivated', pool: { disabled: true } });
      expect(await poolAccount(person.sub)).toMatchObject({ Enabled: false });
      const on = await asAdmin<Person & { pool: Body }>('PATCH', `/users/${person.id}`, { isActive: true });
      expect(on.body).toMatchObject({ isActive: true, status: 'active', pool: { enabled: true } });
      expect(await poolAccount(person.sub)).toMatchObject({ Enabled: true });
      const edit = await asAdmin<Person & { pool?: Body }>('PATCH', `/users/${person.id}`, { firstName: 'Edited' });
      expect(edit.body.pool).toBeUndefined();
      expect((await auditOf(person.id)).map((entry) => [entry.action, entry.after.poolAccount])).toEqual([
        ['user.deactivated', 'disabled'],
        ['user.reactivated', 'enabled'],
        ['user.updated', undefined],
      ]);
    });

    it('disables the account in the pool: no sign-in, current tokens refused; reactivated, a new sign-in works and the old tokens stay revoked', async () => {
      const person = await member();
      const token = (await signIn(person.username, person.password)).accessToken;
      expect((await call(`${sut.url}/api/v1/me`, { token })).status).toBe(200);

      expect((await asAdmin('PATCH', `/users/${person.id}`, { isActive: false })).status).toBe(200);
      expect((await call(`${sut.url}/api/v1/me`, { token })).body.code).toBe('account_disabled');
      await expect(passwordSignIn(person.username, person.password)).rejects.toMatchObject({
        name: 'NotAuthorizedException',
        message: 'User is disabled.',
      });

      expect((await asAdmin('PATCH', `/users/${person.id}`, { isActive: true })).status).toBe(200);
      const fresh = await passwordSignIn(person.username, person.password);
      expect((await call(`${sut.url}/api/v1/me`, { token: fresh })).status).toBe(200);
      // Disabling revoked the tokens at the pool, as Cognito does: the recheck finds it within its period.
      await waitFor(async () => expect((await call(`${sut.url}/api/v1/me`, { token })).body.code).toBe('token_revoked'), {
        timeout: 8000,
        interval: 200,
        message: 'the recheck to refuse the token the pool revoked',
      });
      expect((await call(`${sut.url}/api/v1/me`, { token: fresh })).status).toBe(200);
    });

    it("resets the password: the account is RESET_REQUIRED, a sign-in with the old one is sent to reset it, the pool's code sets a new one", async () => {
      const person = await member();
      const reset = await asAdmin('POST', `/users/${person.id}/reset-password`);
      expect([reset.status, reset.body.pool]).toEqual([200, { passwordReset: true }]);
      expect(await poolAccount(person.sub)).toMatchObject({ UserStatus: 'RESET_REQUIRED' });
      const inPool = await asAdmin<{ items: Body[] }>('GET', `/pool-users?filter=${person.username}`);
      expect(inPool.body.items.map((account) => account.status)).toEqual(['RESET_REQUIRED']);
      await expect(passwordSignIn(person.username, person.password)).rejects.toMatchObject({
        name: 'PasswordResetRequiredException',
        message: 'Password reset required for the user',
      });

      await confirmNewPassword(person.username, await outboxCode(person.username, 'forgot-password'), 'Brand-new-pass-1');
      expect(await poolAccount(person.sub)).toMatchObject({ UserStatus: 'CONFIRMED' });
      await expect(passwordSignIn(person.username, person.password)).rejects.toMatchObject({ name: 'NotAuthorizedException' });
      expect((await signIn(person.username, 'Brand-new-pass-1')).accessToken).toEqual(expect.any(String));
      expect((await auditOf(person.id)).map((entry) => [entry.action, entry.after])).toEqual([
        ['user.password_reset', { passwordReset: true }],
      ]);
    });

    it('erases the row, then deletes the pool account', async () => {
      const person = await member();
      const erased = await asAdmin('DELETE', `/users/${person.id}`);
      expect([erased.status, erased.body]).toEqual([200, { id: person.id, erased: true, pool: { deleted: true } }]);
      expect(await poolAccount(person.sub)).toBeUndefined();
      expect((await auditOf(person.id)).map((entry) => [entry.action, entry.after])).toEqual([
        ['user.erased', {}],
        ['user.pool_deleted', { pool: 'deleted' }],
      ]);
    });
  });

  describe('a server the pool refuses', () => {
    let pool: FakePool;
    let refused: TestApp;
    let token: string;
    let targetId: string;
    const at = (path: string) => `${refused.url}/api/v1/admin${path}`;

    beforeAll(async () => {
      pool = await new FakePool().start();
      refused = await startTestApp({ env: pool.env() });
      const adminSub = randomUUID();
      pool.attributes.set(adminSub, { username: 'boss', email: 'boss@example.org' });
      token = pool.mint({ sub: adminSub, username: 'boss', 'cognito:groups': ['admin'] });
      expect((await call(`${refused.url}/api/v1/me`, { token })).status).toBe(200);
      const targetSub = randomUUID();
      pool.attributes.set(targetSub, { username: 'target', email: 'target@example.org' });
      targetId = (await call<Person>(`${refused.url}/api/v1/me`, { token: pool.mint({ sub: targetSub, username: 'target' }) })).body.id;
      pool.deniedActions.add('*');
    });
    afterAll(async () => {
      await refused.close();
      await pool.stop();
    });

    it('answers 503 pool_admin_unavailable naming the IAM action for the pool-only features', async () => {
      const cases = poolOnlyFeatures(targetId);
      for (const [method, path, action, body] of cases) {
        const answer = await call<Body>(at(path), { method, body, token });
        expect([method, path, answer.status, answer.body.code]).toEqual([method, path, 503, 'pool_admin_unavailable']);
        expect(answer.body.message).toContain(`cognito-idp:${action}`);
      }
      const access = await call<{ denied: Array<{ action: string; reason: string }> }>(at('/pool-access'), { token });
      expect(access.body.denied.map((denial) => denial.action).sort()).toEqual(
        [
          'AdminAddUserToGroup',
          'AdminCreateUser',
          'AdminListGroupsForUser',
          'AdminRemoveUserFromGroup',
          'AdminResetUserPassword',
          'ListGroups',
          'ListUsers',
        ].sort(),
      );
      expect(access.body.denied.find((denial) => denial.action === 'ListGroups')?.reason).toMatch(/AccessDeniedException/);
      const rows = await refused.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
      expect(rows[0].n).toBe(2);
    });

    it('still deactivates, reactivates and erases in the API, and says what the pool did not do', async () => {
      const off = await call<Person & { pool: Body }>(at(`/users/${targetId}`), { method: 'PATCH', body: { isActive: false }, token });
      expect(off.status).toBe(200);
      expect(off.body.isActive).toBe(false);
      expect(off.body.pool).toEqual({
        disabled: false,
        error: {
          action: 'AdminDisableUser',
          code: 'pool_admin_unavailable',
          message: expect.stringContaining('cognito-idp:AdminDisableUser'),
        },
      });
      const on = await call<Person & { pool: Body }>(at(`/users/${targetId}`), { method: 'PATCH', body: { isActive: true }, token });
      expect(on.body.pool).toMatchObject({ enabled: false, error: { action: 'AdminEnableUser', code: 'pool_admin_unavailable' } });
      const erased = await call<Body>(at(`/users/${targetId}`), { method: 'DELETE', token });
      expect(erased.status).toBe(200);
      expect(erased.body).toEqual({
        id: targetId,
        erased: true,
        pool: { deleted: false, error: { action: 'AdminDeleteUser', code: 'pool_admin_unavailable', message: expect.any(String) } },
      });
      const entries = await refused.db.query<{ action: string; after: Body }>(
        'SELECT action, after FROM audit_entries WHERE target_id = $1 ORDER BY created_at, id',
        [targetId],
      );
      // The erasure blanked the earlier entries' values; the pool's side of the erasure is recorded after it.
      expect(entries.map((entry) => entry.action)).toEqual(['user.deactivated', 'user.reactivated', 'user.erased', 'user.pool_deleted']);
      expect(entries[3].after).toEqual({ pool: 'not deleted: AdminDeleteUser pool_admin_unavailable' });
    });
  });

  describe('a production server without AWS credentials', () => {
    let pool: FakePool;
    let db: TestDatabase;
    let server: ServerProcess;
    let token: string;
    let targetId: string;
    const at = (path: string) => `${server.url}/api/v1/admin${path}`;

    beforeAll(async () => {
      const certificate = selfSignedCertificate();
      pool = await new FakePool().start({ tls: certificate });
      db = await createTestDatabase();
      // The environment holds no AWS credentials, no file of them, and no instance metadata to ask.
      server = await ServerProcess.start({
        ...pool.env(),
        NODE_ENV: 'production',
        DATABASE_URL: db.url,
        NODE_EXTRA_CA_CERTS: `${certificate.dir}/cert.pem`,
        AWS_CONFIG_FILE: '/nonexistent',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
        AWS_EC2_METADATA_DISABLED: 'true',
        LOG_LEVEL: 'warn',
      });
      const adminSub = randomUUID();
      pool.attributes.set(adminSub, { username: 'boss', email: 'boss@example.org' });
      token = pool.mint({ sub: adminSub, username: 'boss', 'cognito:groups': ['admin'] });
      expect((await call(`${server.url}/api/v1/me`, { token })).status).toBe(200);
      const targetSub = randomUUID();
      pool.attributes.set(targetSub, { username: 'target', email: 'target@example.org' });
      targetId = (await call<Person>(`${server.url}/api/v1/me`, { token: pool.mint({ sub: targetSub, username: 'target' }) })).body.id;
    }, 90_000);
    afterAll(async () => {
      await server?.stop();
      await db?.drop();
      await pool?.stop();
    });

    it('answers every pool feature with what it could not do, and does the API side of the others; nothing reaches the pool', async () => {
      const refusedFeatures = [...poolOnlyFeatures(targetId), ['POST', `/users/${targetId}/refresh-from-pool`, 'AdminGetUser'] as Feature];
      for (const [method, path, action, body] of refusedFeatures) {
        const answer = await call<Body>(at(path), { method, body, token });
        expect([method, path, answer.status, answer.body.code]).toEqual([method, path, 503, 'pool_admin_unavailable']);
        expect([path, answer.body.message]).toEqual([path, expect.stringContaining(action)]);
        expect([path, answer.body.message]).toEqual([path, expect.stringMatching(/no AWS credentials/)]);
      }
      const access = await call<{ denied: Array<{ action: string; reason: string }> }>(at('/pool-access'), { token });
      expect(access.body.denied.map((denial) => denial.action)).toEqual(
        expect.arrayContaining(['AdminCreateUser', 'ListUsers', 'ListGroups', 'AdminResetUserPassword']),
      );
      expect(access.body.denied.every((denial) => /no AWS credentials/.test(denial.reason))).toBe(true);

      const signedOut = await call<Body>(at(`/users/${targetId}/sign-out-everywhere`), { method: 'POST', token });
      expect([signedOut.status, signedOut.body.poolSignOut]).toEqual([200, 'no_credentials']);
      const off = await call<Person & { pool: Body }>(at(`/users/${targetId}`), { method: 'PATCH', body: { isActive: false }, token });
      expect([off.status, off.body.isActive]).toEqual([200, false]);
      expect(off.body.pool).toEqual({
        disabled: false,
        error: { action: 'AdminDisableUser', code: 'pool_admin_unavailable', message: expect.stringMatching(/no AWS credentials/) },
      });
      const on = await call<Person & { pool: Body }>(at(`/users/${targetId}`), { method: 'PATCH', body: { isActive: true }, token });
      expect(on.body.pool).toMatchObject({ enabled: false, error: { action: 'AdminEnableUser', code: 'pool_admin_unavailable' } });
      const erased = await call<Body>(at(`/users/${targetId}`), { method: 'DELETE', token });
      expect([erased.status, erased.body.erased]).toEqual([200, true]);
      expect(erased.body.pool).toMatchObject({ deleted: false, error: { action: 'AdminDeleteUser', code: 'pool_admin_unavailable' } });

      expect(pool.actions.filter((action) => action !== 'GetUser')).toEqual([]);
    });
  });
});
