import { randomUUID } from 'node:crypto';
import { signIn } from './support/cognito.js';
import { call } from './support/http.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { insertUsers } from './support/users.js';

interface AuditBody {
  id: string;
  action: string;
  actor: { id: string; sub: string; username: string | null };
  target: { id: string; username: string | null };
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  createdAt: string;
}
interface AuditPage {
  items: AuditBody[];
  page: number;
  pageSize: number;
  total: number;
}

describe('Audit trail of admin changes', () => {
  let sut: TestApp;
  let adminToken: string;
  let admin: { id: string; sub: string };

  const patch = (id: string, body: unknown) => call(`${sut.url}/api/v1/admin/users/${id}`, { method: 'PATCH', token: adminToken, body });
  const audit = (query = '') => call<AuditPage>(`${sut.url}/api/v1/admin/audit?${query}`, { token: adminToken });
  const rowsFor = (id: string) => sut.db.query('SELECT * FROM audit_entries WHERE target_id = $1', [id]);

  beforeAll(async () => {
    sut = await startTestApp();
    adminToken = (await signIn('admin')).accessToken;
    const me = await call(`${sut.url}/api/v1/me`, { token: adminToken });
    admin = { id: me.body.id as string, sub: me.body.sub as string };
  });
  afterAll(async () => {
    await sut.close();
  });

  it('records who changed whom, what, when, and only the changed values before and after', async () => {
    const [target] = await insertUsers(sut.db, [{ username: 'audited', firstName: 'Ann', lastName: 'Able' }]);
    const started = Date.now();
    expect((await patch(target.id, { isActive: false, firstName: 'Ann', lastName: 'Baker' })).status).toBe(200);

    const response = await audit(`targetId=${target.id}`);
    expect(response.status).toBe(200);
    expect(response.body.total).toBe(1);
    const [entry] = response.body.items;
    expect(entry).toEqual({
      id: expect.any(String),
      action: 'user.deactivated',
      actor: { id: admin.id, sub: admin.sub, username: 'admin' },
      target: { id: target.id, username: 'audited' },
      // The person was never in the pool: the entry says the pool side did not happen, and why.
      before: { isActive: true, lastName: 'Able', poolAccount: null },
      after: { isActive: false, lastName: 'Baker', poolAccount: 'not disabled: ListUsers not_in_pool' },
      createdAt: expect.any(String),
    });
    expect(Date.parse(entry.createdAt)).toBeGreaterThanOrEqual(started - 5000);
    const [row] = await rowsFor(target.id);
    expect(row).toMatchObject({ actor_id: admin.id, actor_sub: admin.sub, target_id: target.id, action: 'user.deactivated' });
  });

  it('names the action: reactivation and profile edits', async () => {
    const [target] = await insertUsers(sut.db, [{ username: 'napper', isActive: false }]);
    await patch(target.id, { isActive: true });
    await patch(target.id, { phone: '+14155550123' });
    const { body } = await audit(`targetId=${target.id}`);
    expect(body.items.map((entry) => [entry.action, entry.before, entry.after])).toEqual([
      ['user.updated', { phone: null }, { phone: '+14155550123' }],
      ['user.reactivated', { isActive: false, poolAccount: null }, { isActive: true, poolAccount: 'not enabled: ListUsers not_in_pool' }],
    ]);
  });

  it('writes nothing for a change that changes nothing', async () => {
    const [target] = await insertUsers(sut.db, [{ username: 'steady', firstName: 'Sam' }]);
    expect((await patch(target.id, { firstName: 'Sam', isActive: true })).status).toBe(200);
    expect((await patch(target.id, {})).status).toBe(200);
    expect(await rowsFor(target.id)).toEqual([]);
  });

  it('lists all entries newest first, a page at a time', async () => {
    const targets = await insertUsers(sut.db, [{ username: 'order-1' }, { username: 'order-2' }, { username: 'order-3' }]);
    for (const target of targets) expect((await patch(target.id, { timeZone: 'UTC' })).status).toBe(200);

    const first = await audit('pageSize=2');
    expect(first.status).toBe(200);
    expect(first.body.items.map((entry) => entry.target.username)).toEqual(['order-3', 'order-2']);
    const second = await audit('pageSize=2&page=2');
    expect(second.body.items[0].target.username).toBe('order-1');
    expect(second.body.total).toBe(first.body.total);
    const all = (await audit('pageSize=100')).body.items.map((entry) => Date.parse(entry.createdAt));
    expect(all).toEqual([...all].sort((a, b) => b - a));
  });

  it('refuses a bad filter or page size', async () => {
    expect((await audit('targetId=nope')).status).toBe(400);
    expect((await audit('pageSize=101')).status).toBe(400);
    expect((await audit(`targetId=${randomUUID()}`)).body).toEqual({ items: [], page: 1, pageSize: 20, total: 0 });
  });

  describe('atomicity: the change and its entry are written together or not at all', () => {
    afterEach(async () => {
      await sut.db.query('DROP TRIGGER IF EXISTS fail_audit ON audit_entries');
      await sut.db.query('DROP TRIGGER IF EXISTS fail_users ON users');
      await sut.db.query('DROP FUNCTION IF EXISTS fail_now()');
    });

    const failOn = async (table: 'audit_entries' | 'users', trigger: string) => {
      await sut.db.query(
        `CREATE FUNCTION fail_now() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by test'; END $$`,
      );
      await sut.db.query(`CREATE TRIGGER ${trigger} BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION fail_now()`);
    };

    it('leaves the user unchanged when the audit entry cannot be written', async () => {
      const [target] = await insertUsers(sut.db, [{ username: 'atomic-1', firstName: 'Before' }]);
      await failOn('audit_entries', 'fail_audit');

      const response = await patch(target.id, { isActive: false, firstName: 'After' });
      expect(response.status).toBe(500);
      expect(response.body.code).toBe('internal_error');
      const [row] = await sut.db.query('SELECT is_active, first_name FROM users WHERE id = $1', [target.id]);
      expect(row).toEqual({ is_active: true, first_name: 'Before' });
      expect(await rowsFor(target.id)).toEqual([]);
      // The user was never refused: the change did not happen.
      expect((await call(`${sut.url}/api/v1/admin/users/${target.id}`, { token: adminToken })).body).toMatchObject({
        isActive: true,
        firstName: 'Before',
      });
    });

    it('writes no audit entry when the change itself fails', async () => {
      const [target] = await insertUsers(sut.db, [{ username: 'atomic-2' }]);
      await failOn('users', 'fail_users');
      expect((await patch(target.id, { isActive: false })).status).toBe(500);
      expect(await rowsFor(target.id)).toEqual([]);
    });

    it('succeeds with both once nothing is in the way', async () => {
      const [target] = await insertUsers(sut.db, [{ username: 'atomic-3' }]);
      expect((await patch(target.id, { isActive: false })).status).toBe(200);
      expect(await rowsFor(target.id)).toHaveLength(1);
    });
  });
});
