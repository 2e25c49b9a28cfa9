import { randomUUID } from 'node:crypto';
import { Controller, Get } from '@nestjs/common';
import { getClientToken } from '@backend/local-cognito/testing';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { UsersPools1796800000000 } from '../migrations/1796800000000-UsersPools.js';
import { CurrentUser } from '../src/auth/current-user.decorator.js';
import { Pools } from '../src/auth/pools.decorator.js';
import type { PersonPrincipal } from '../src/identity/principal.js';
import { buildDataSourceOptions } from '../src/database/data-source-options.js';
import { runMigrations } from '../src/database/migrate.js';
import { MIGRATIONS } from '../src/database/migrations.js';
import { registry } from '../src/metrics/metrics.js';
import { signIn } from './support/cognito.js';
import { FakePool } from './support/fake-pool.js';
import { call } from './support/http.js';
import { writeStackFile } from './support/stack-file.js';
import { staffPoolEnv, startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase } from './support/test-database.js';
import { waitFor } from './support/wait-for.js';

/** Routes of this spec's own, restricted as a project's routes would be: to one pool by a route, or by a controller. */
@Controller('test/pools')
class PoolRoutes {
  @Get('staff-only')
  @Pools('staff')
  staffOnly(@CurrentUser() principal: PersonPrincipal): { pool: string } {
    return { pool: principal.pool.name };
  }
}

@Pools('default')
@Controller('test/default-pool')
class DefaultPoolRoutes {
  @Get()
  defaultOnly(@CurrentUser() principal: PersonPrincipal): { pool: string } {
    return { pool: principal.pool.name };
  }
}

/** The variables that make a fake pool the API's pool `staff` (COGNITO_POOLS). */
function staffEnv(pool: FakePool): Record<string, string> {
  return {
    COGNITO_POOLS: 'staff',
    COGNITO_STAFF_ENDPOINT: pool.endpoint,
    COGNITO_STAFF_REGION: 'us-test-1',
    COGNITO_STAFF_USER_POOL_ID: pool.poolId,
    COGNITO_STAFF_CLIENT_IDS: `${pool.clientId},${pool.machineClientId}`,
  };
}

describe('Two pools behind one API: tokens matched to their pool by iss, people kept apart', () => {
  // Both pools have the same id and client id; only their issuers (their addresses) and keys differ.
  const standard = new FakePool();
  const staff = new FakePool();
  let sut: TestApp;

  beforeAll(async () => {
    await Promise.all([standard.start(), staff.start()]);
    sut = await startTestApp({
      env: { ...standard.env(), ...staffEnv(staff), TOKEN_RECHECK_SECONDS: '0' },
      controllers: [PoolRoutes, DefaultPoolRoutes],
    });
  });
  afterAll(async () => {
    await sut.close();
    await Promise.all([standard.stop(), staff.stop()]);
  });

  const me = (token: string) => call(`${sut.url}/api/v1/me`, { token });

  it("accepts each pool's tokens on a route open to every pool, and says whose they are", async () => {
    const [fromStandard, fromStaff] = await Promise.all([me(standard.mint()), me(staff.mint())]);
    expect([fromStandard.status, fromStaff.status]).toEqual([200, 200]);
    expect(fromStandard.body.pool).toBe('default');
    expect(fromStaff.body.pool).toBe('staff');
  });

  it('lets a route (or a controller) accept one pool only: 403 wrong_pool for the other', async () => {
    const staffOnly = `${sut.url}/test/pools/staff-only`;
    await expect(call(staffOnly, { token: staff.mint() })).resolves.toMatchObject({ status: 200, body: { pool: 'staff' } });
    const refused = await call(staffOnly, { token: standard.mint() });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'wrong_pool', message: expect.stringContaining('staff') });

    const defaultOnly = `${sut.url}/test/default-pool`;
    await expect(call(defaultOnly, { token: standard.mint() })).resolves.toMatchObject({ status: 200, body: { pool: 'default' } });
    await expect(call(defaultOnly, { token: staff.mint() })).resolves.toMatchObject({ status: 403, body: { code: 'wrong_pool' } });
    // Without a token it is the missing token that is refused, as everywhere.
    await expect(call(staffOnly)).resolves.toMatchObject({ status: 401, body: { code: 'token_missing' } });
  });

  it("keeps the same sub in two pools as two people, each filled from their own pool's GetUser", async () => {
    const sub = randomUUID();
    standard.attributes.set(sub, { username: 'pat', email: 'pat@default.example', given_name: 'Pat' });
    staff.attributes.set(sub, { username: 'pat', email: 'pat@staff.example', given_name: 'Patricia' });
    const [standardCalls, staffCalls] = [standard.getUserRequests, staff.getUserRequests];
    const inStandard = await me(standard.mint({ sub, username: 'pat' }));
    const inStaff = await me(staff.mint({ sub, username: 'pat' }));
    expect(inStandard.body).toMatchObject({ pool: 'default', sub, email: 'pat@default.example', firstName: 'Pat' });
    expect(inStaff.body).toMatchObject({ pool: 'staff', sub, email: 'pat@staff.example', firstName: 'Patricia' });
    expect(inStaff.body.id).not.toBe(inStandard.body.id);
    expect([standard.getUserRequests - standardCalls, staff.getUserRequests - staffCalls]).toEqual([1, 1]);

    // An edit of one is not the other's.
    const edited = await call(`${sut.url}/api/v1/me`, { token: staff.mint({ sub }), method: 'PATCH', body: { lastName: 'Staff' } });
    expect(edited.status).toBe(200);
    await expect(me(standard.mint({ sub }))).resolves.toMatchObject({ body: { lastName: null } });
    const rows = await sut.db.query<{ pool: string }>('SELECT pool FROM users WHERE sub = $1 ORDER BY pool', [sub]);
    expect(rows).toEqual([{ pool: 'default' }, { pool: 'staff' }]);
  });

  it("refuses an issuer no pool has, even signed with a key a configured pool publishes, and fetches no one's JWKS for it", async () => {
    const elsewhere = await new FakePool(standard.key).start();
    try {
      const [standardFetches, staffFetches] = [standard.jwksRequests, staff.jwksRequests];
      const signedWithKnownKey = elsewhere.mint();
      expect(signedWithKnownKey.split('.')[0]).toBe(standard.mint().split('.')[0]); // the same header: alg and kid
      await expect(me(signedWithKnownKey)).resolves.toMatchObject({ status: 401, body: { code: 'token_wrong_issuer' } });
      // A kid no pool publishes would make a configured pool refetch its keys: not for an unknown issuer.
      await expect(me(elsewhere.mint({}, { kid: 'not-published' }))).resolves.toMatchObject({
        status: 401,
        body: { code: 'token_wrong_issuer' },
      });
      expect([elsewhere.jwksRequests, standard.jwksRequests - standardFetches, staff.jwksRequests - staffFetches]).toEqual([0, 0, 0]);
      // The configured issuer with the other pool's key: that pool's keys do not verify it.
      await expect(me(staff.mint({}, { key: standard.key }))).resolves.toMatchObject({ status: 401, body: { code: 'token_invalid' } });
    } finally {
      await elsewhere.stop();
    }
  });

  it("revokes by pool and sub: a sign-out everywhere, or of one session, leaves the same sub's person of the other pool signed in", async () => {
    const sub = randomUUID();
    const session = randomUUID();
    const standardToken = standard.mint({ sub, origin_jti: session });
    const staffToken = staff.mint({ sub, origin_jti: session });
    await expect(Promise.all([me(standardToken), me(staffToken)])).resolves.toMatchObject([{ status: 200 }, { status: 200 }]);

    // One session of the same id in each pool: signing out of the staff one leaves the default one alone.
    const signOut = await call(`${sut.url}/api/v1/me/sign-out`, { token: staffToken, method: 'POST' });
    expect(signOut.status).toBe(200);
    await expect(me(staffToken)).resolves.toMatchObject({ status: 401, body: { code: 'token_revoked' } });
    await expect(me(standardToken)).resolves.toMatchObject({ status: 200 });

    // Everywhere, in the default pool: the pool's GlobalSignOut goes to that pool, and only its person is signed out.
    const [standardSignOuts, staffSignOuts] = [standard.actions.length, staff.actions.length];
    const everywhere = await call(`${sut.url}/api/v1/me/sign-out-everywhere`, { token: standardToken, method: 'POST' });
    expect(everywhere.status).toBe(200);
    expect(standard.actions.slice(standardSignOuts)).toContain('GlobalSignOut');
    expect(staff.actions.slice(staffSignOuts)).toEqual([]);
    await expect(me(standardToken)).resolves.toMatchObject({ status: 401, body: { code: 'token_revoked' } });
    await expect(me(staff.mint({ sub, iat: Math.floor(Date.now() / 1000) - 5 }))).resolves.toMatchObject({ status: 200 });
  });

  it("erases one pool's person and leaves the other's, and calls the pool of the person an admin acts on", async () => {
    const sub = randomUUID();
    staff.attributes.set(sub, { username: 'robin', email: 'robin@staff.example', given_name: 'Robin' });
    const standardPerson = (await me(standard.mint({ sub, username: 'robin' }))).body;
    const staffPerson = (await me(staff.mint({ sub, username: 'robin' }))).body;
    const admin = standard.mint({ 'cognito:groups': ['admin'] });
    expect((await me(admin)).status).toBe(200);

    // A refresh from the pool reads the staff person's own pool (AdminGetUser), not the admin's.
    const [standardCalls, staffCalls] = [standard.adminCalls.length, staff.adminCalls.length];
    const refreshed = await call(`${sut.url}/api/v1/admin/users/${staffPerson.id as string}/refresh-from-pool`, {
      token: admin,
      method: 'POST',
    });
    expect(refreshed).toMatchObject({ status: 200, body: { pool: 'staff', email: 'robin@staff.example' } });
    expect(staff.adminCalls.slice(staffCalls)).toEqual([{ operation: 'AdminGetUser', username: 'robin' }]);
    expect(standard.adminCalls.slice(standardCalls)).toEqual([]);

    const erased = await call(`${sut.url}/api/v1/admin/users/${standardPerson.id as string}`, { token: admin, method: 'DELETE' });
    expect(erased).toMatchObject({ status: 200, body: { erased: true } });
    await expect(me(staff.mint({ sub, username: 'robin' }))).resolves.toMatchObject({
      status: 200,
      body: { id: staffPerson.id, pool: 'staff', email: 'robin@staff.example', firstName: 'Robin' },
    });
    const rows = await sut.db.query<{ pool: string; erased: boolean }>(
      'SELECT pool, erased_at IS NOT NULL AS erased FROM users WHERE sub = $1 ORDER BY pool',
      [sub],
    );
    expect(rows).toEqual([
      { pool: 'default', erased: true },
      { pool: 'staff', erased: false },
    ]);
  });

  it("documents each route's pools in OpenAPI (x-pools and the description)", async () => {
    const { body } = await call<{ paths: Record<string, Record<string, { 'x-pools'?: string[]; description?: string }>> }>(
      `${sut.url}/api/docs-json`,
    );
    expect(body.paths['/api/v1/me'].get['x-pools']).toEqual(['default', 'staff']);
    expect(body.paths['/test/pools/staff-only'].get['x-pools']).toEqual(['staff']);
    expect(body.paths['/test/default-pool'].get['x-pools']).toEqual(['default']);
    expect(body.paths['/test/pools/staff-only'].get.description).toContain('**Pools:** staff.');
    expect(body.paths['/health/ready'].get['x-pools']).toBeUndefined();
  });
});

describe("One pool's keys unavailable while the other's work", () => {
  const standard = new FakePool();
  const staff = new FakePool();
  let sut: TestApp;

  beforeAll(async () => {
    await Promise.all([standard.start(), staff.start()]);
    staff.jwksMode = 'fail';
    sut = await startTestApp({ env: { ...standard.env(), ...staffEnv(staff), JWKS_COOLDOWN_SECONDS: '1', TOKEN_RECHECK_SECONDS: '0' } });
  });
  afterAll(async () => {
    await sut.close();
    await Promise.all([standard.stop(), staff.stop()]);
  });

  const jwksFetches = async (pool: string, outcome: string): Promise<number> => {
    const metric = await registry.getSingleMetric('jwks_fetches_total')!.get();
    return metric.values.find((value) => value.labels.pool === pool && value.labels.outcome === outcome)?.value ?? 0;
  };

  it('is not ready, naming the pool whose keys are missing; the other pool is served, and counted apart', async () => {
    await waitFor(async () => expect(await jwksFetches('staff', 'failure')).toBeGreaterThan(0), { message: 'a failed staff JWKS fetch' });
    const ready = await call(`${sut.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      code: 'not_ready',
      message: expect.stringContaining('the pool(s) staff'),
      checks: { keys: { status: 'down', pools: { default: 1, staff: 0 } } },
    });
    expect(await jwksFetches('default', 'success')).toBeGreaterThan(0);

    await expect(call(`${sut.url}/api/v1/me`, { token: standard.mint() })).resolves.toMatchObject({ status: 200 });
    await expect(call(`${sut.url}/api/v1/me`, { token: staff.mint() })).resolves.toMatchObject({
      status: 503,
      body: { code: 'keys_unavailable' },
    });
  });

  it("turns ready once that pool's keys load, and its tokens work", async () => {
    staff.jwksMode = 'ok';
    await waitFor(async () => expect((await call(`${sut.url}/health/ready`)).status).toBe(200), { message: 'readiness', timeout: 10_000 });
    await expect(call(`${sut.url}/api/v1/me`, { token: staff.mint() })).resolves.toMatchObject({ status: 200, body: { pool: 'staff' } });
  });
});

describe('Admins of one pool and the people of the other (the local pools: admin in default, sam in staff)', () => {
  let sut: TestApp;
  /** The same database behind an API with ADMIN_OWN_POOL_ONLY=true. */
  let ownPoolOnly: TestApp;
  let adminToken: string;
  let samToken: string;
  let alice: Record<string, unknown>;
  let sam: Record<string, unknown>;

  beforeAll(async () => {
    sut = await startTestApp({ env: { ...staffPoolEnv(), TOKEN_RECHECK_SECONDS: '0' } });
    ownPoolOnly = await startTestApp({ env: { ...staffPoolEnv(), TOKEN_RECHECK_SECONDS: '0', ADMIN_OWN_POOL_ONLY: 'true' }, db: sut.db });
    [adminToken, samToken] = await Promise.all([signIn('admin'), signIn('sam', undefined, 'staff')]).then((tokens) =>
      tokens.map((each) => each.accessToken),
    );
    alice = (await call(`${sut.url}/api/v1/me`, { token: (await signIn('alice')).accessToken })).body;
    sam = (await call(`${sut.url}/api/v1/me`, { token: samToken })).body;
    await call(`${sut.url}/api/v1/me`, { token: adminToken });
  }, 30_000);
  afterAll(async () => {
    await ownPoolOnly.close();
    await sut.close();
  });

  const list = async (app: TestApp, token: string, query = ''): Promise<Array<{ username: string; pool: string }>> => {
    const response = await call<{ items: Array<{ username: string; pool: string }> }>(
      `${app.url}/api/v1/admin/users?pageSize=100${query}`,
      {
        token,
      },
    );
    expect(response.status).toBe(200);
    return response.body.items;
  };

  it('has sam in the pool staff, an admin of its own admin group', () => {
    expect(sam).toMatchObject({ pool: 'staff', username: 'sam', email: 'sam@example.com', groups: ['admin'] });
    expect(alice).toMatchObject({ pool: 'default', username: 'alice' });
  });

  it('lets an admin of either pool see and manage the people of every pool the routes accept, and filter by pool', async () => {
    const seenByAdmin = (await list(sut, adminToken)).map((user) => `${user.pool}/${user.username}`);
    expect(seenByAdmin).toEqual(expect.arrayContaining(['default/alice', 'default/admin', 'staff/sam']));
    expect((await list(sut, samToken)).map((user) => `${user.pool}/${user.username}`)).toEqual(expect.arrayContaining(seenByAdmin));
    expect((await list(sut, adminToken, '&pool=staff')).map((user) => user.username)).toEqual(['sam']);

    await expect(call(`${sut.url}/api/v1/admin/users/${sam.id as string}`, { token: adminToken })).resolves.toMatchObject({
      status: 200,
      body: { pool: 'staff', username: 'sam' },
    });
    // The pool call goes to sam's pool: the default pool has no sam (that would be 409 not_in_pool).
    const refreshed = await call(`${sut.url}/api/v1/admin/users/${sam.id as string}/refresh-from-pool`, {
      token: adminToken,
      method: 'POST',
    });
    expect(refreshed).toMatchObject({ status: 200, body: { pool: 'staff', email: 'sam@example.com' } });
    const groups = await call(`${sut.url}/api/v1/admin/users/${sam.id as string}/groups`, { token: adminToken });
    expect(groups).toMatchObject({ status: 200, body: { groups: ['admin'] } });
  });

  it('keeps admins to their own pool with ADMIN_OWN_POOL_ONLY=true: the others are not found, nor listed', async () => {
    expect((await list(ownPoolOnly, adminToken)).map((user) => user.pool)).not.toContain('staff');
    expect((await list(ownPoolOnly, adminToken, '&pool=staff')).length).toBe(0);
    expect((await list(ownPoolOnly, samToken)).map((user) => `${user.pool}/${user.username}`)).toEqual(['staff/sam']);
    for (const [method, path, body] of [
      ['GET', '', undefined],
      ['PATCH', '', { firstName: 'Not' }],
      ['POST', '/sign-out-everywhere', undefined],
      ['DELETE', '', undefined],
    ] as const) {
      const response = await call(`${ownPoolOnly.url}/api/v1/admin/users/${sam.id as string}${path}`, { token: adminToken, method, body });
      expect(`${method} ${response.status} ${response.body.code as string}`).toBe(`${method} 404 not_found`);
    }
    const otherPool = await call(`${ownPoolOnly.url}/api/v1/admin/pool-users?pool=default`, { token: samToken });
    expect(otherPool).toMatchObject({ status: 403, body: { code: 'wrong_pool' } });
    await expect(call(`${ownPoolOnly.url}/api/v1/admin/users/${sam.id as string}`, { token: samToken })).resolves.toMatchObject({
      status: 200,
    });
  });

  it("lists a pool's own accounts and groups, the admin's own by default, another on request", async () => {
    const own = await call<{ pool: string; items: Array<{ username: string; user: unknown }> }>(`${sut.url}/api/v1/admin/pool-users`, {
      token: samToken,
    });
    expect(own.status).toBe(200);
    expect(own.body.pool).toBe('staff');
    expect(own.body.items.map((account) => account.username)).toContain('sam');
    expect(own.body.items.find((account) => account.username === 'sam')!.user).toMatchObject({ id: sam.id });
    const other = await call<{ pool: string; items: Array<{ username: string }> }>(`${sut.url}/api/v1/admin/pool-users?pool=default`, {
      token: samToken,
    });
    expect(other.body.pool).toBe('default');
    expect(other.body.items.map((account) => account.username)).toEqual(expect.arrayContaining(['alice', 'admin']));
    await expect(call(`${sut.url}/api/v1/admin/groups?pool=staff`, { token: adminToken })).resolves.toMatchObject({
      status: 200,
      body: { pool: 'staff', items: [{ name: 'admin', admin: true }] },
    });
    await expect(call(`${sut.url}/api/v1/admin/groups?pool=nowhere`, { token: adminToken })).resolves.toMatchObject({
      status: 400,
      body: { code: 'validation_failed' },
    });
  });

  it("answers other apps of a pool on the users API with each person's pool, by pool and sub", async () => {
    const { accessToken } = await getClientToken({ stackFile: writeStackFile(), pool: 'staff' });
    const found = await call<{ items: Array<Record<string, unknown>> }>(`${sut.url}/api/v1/users?pool=staff&sub=${sam.sub as string}`, {
      token: accessToken,
    });
    expect(found.status).toBe(200);
    expect(found.body.items).toEqual([expect.objectContaining({ id: sam.id, pool: 'staff', username: 'sam' })]);
    const inDefault = await call<{ items: unknown[] }>(`${sut.url}/api/v1/users?pool=default&sub=${sam.sub as string}`, {
      token: accessToken,
    });
    expect(inDefault.body.items).toEqual([]);
  });
});

describe('The migration to pools, on a table that already holds rows', () => {
  it('gives existing people and revoked sessions the pool default without rewriting the table, while instances start together', async () => {
    const db = await createTestDatabase();
    const listener = new pg.Client({ connectionString: db.url });
    try {
      const before = new DataSource({
        ...buildDataSourceOptions(db.url, { migrating: true }),
        migrations: MIGRATIONS.filter((migration) => migration !== UsersPools1796800000000),
      });
      await before.initialize();
      await before.runMigrations();
      await before.destroy();
      await db.query(
        `INSERT INTO users (sub, username, email) SELECT 'sub-' || n, 'user-' || n, 'user-' || n || '@example.com' FROM generate_series(1, 5000) AS n`,
      );
      await db.query(`INSERT INTO revoked_sessions (session_id, expires_at) VALUES ('session-1', now() + interval '1 hour')`);
      const fileBefore = await db.query<{ relfilenode: number }>(`SELECT relfilenode FROM pg_class WHERE relname = 'users'`);

      // Several instances starting at once: one migrates, the others wait for it without holding up its index build.
      const applied = await Promise.all([runMigrations(db.url), runMigrations(db.url), runMigrations(db.url)]);
      expect(applied.flat()).toEqual(['UsersPools1796800000000']);

      // The same file: the column's default is in the catalog, no row was rewritten.
      await expect(db.query(`SELECT relfilenode FROM pg_class WHERE relname = 'users'`)).resolves.toEqual(fileBefore);
      await expect(db.query('SELECT pool, count(*)::int AS people FROM users GROUP BY pool')).resolves.toEqual([
        { pool: 'default', people: 5000 },
      ]);
      await expect(db.query('SELECT pool, session_id FROM revoked_sessions')).resolves.toEqual([
        { pool: 'default', session_id: 'session-1' },
      ]);
      await expect(
        db.query(`SELECT c.relname, i.indisunique, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                    WHERE c.relname IN ('users_sub_key', 'users_pool_sub_key')`),
      ).resolves.toEqual([{ relname: 'users_pool_sub_key', indisunique: true, indisvalid: true }]);

      // A sub of the default pool may be someone else in another pool, never twice in one.
      await db.query(`INSERT INTO users (pool, sub) VALUES ('staff', 'sub-1')`);
      await expect(db.query(`INSERT INTO users (sub) VALUES ('sub-1')`)).rejects.toThrow(/users_pool_sub_key/);

      // Changes are announced by pool and sub, as every instance caches them.
      await listener.connect();
      const heard: string[] = [];
      listener.on('notification', (message) => heard.push(message.payload ?? ''));
      await listener.query('LISTEN users_changed');
      await db.query(`UPDATE users SET first_name = 'Changed' WHERE sub = 'sub-1'`);
      await waitFor(() => expect(heard.sort()).toEqual(['default sub-1', 'staff sub-1']), { message: 'the notifications' });
    } finally {
      await listener.end().catch(() => undefined);
      await db.drop();
    }
  }, 60_000);
});
