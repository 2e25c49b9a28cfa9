import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../src/database/data-source-options.js';
import { runMigrations } from '../src/database/migrate.js';
import { User } from '../src/users/user.entity.js';
import { SearchIndexUpkeep } from '../src/users/search-index.upkeep.js';
import { UserRows, type FirstSightRow } from '../src/users/user-rows.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { waitFor } from './support/wait-for.js';

const row = (overrides: Partial<FirstSightRow> = {}): FirstSightRow => ({
  pool: 'default',
  sub: randomUUID(),
  username: `user-${randomUUID().slice(0, 8)}`,
  poolUsername: null,
  email: 'someone@example.com',
  emailVerified: true,
  firstName: 'Ada',
  lastName: null,
  synced: true,
  ...overrides,
});

describe('User rows: lookups and first sights batched (against PostgreSQL)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let sut: UserRows;
  let searchIndex: SearchIndexUpkeep;

  beforeAll(async () => {
    database = await createTestDatabase();
    await runMigrations(database.url);
    dataSource = await new DataSource(buildDataSourceOptions(database.url)).initialize();
    searchIndex = new SearchIndexUpkeep(dataSource);
    sut = new UserRows(dataSource.getRepository(User), dataSource, searchIndex);
  });
  afterAll(async () => {
    searchIndex.beforeApplicationShutdown();
    await dataSource.destroy();
    await database.drop();
  });

  it('writes first sights that arrive together in one statement, and gives each caller its own row', async () => {
    const rows = Array.from({ length: 25 }, () => row());
    const users = await Promise.all(rows.map((each) => sut.insertFirstSight(each)));
    expect(users.map((user) => user?.sub)).toEqual(rows.map((each) => each.sub));
    expect(users.map((user) => user?.username)).toEqual(rows.map((each) => each.username));
    // now() is the transaction's time: separate statements would have stamped different times.
    expect(new Set(users.map((user) => user!.createdAt.getTime())).size).toBe(1);
    expect(users.every((user) => user!.profileSyncedAt instanceof Date && user!.lastSeenAt instanceof Date)).toBe(true);
  });

  it('refuses only the row the database refuses; the others in its batch are written', async () => {
    const good = [row(), row(), row()];
    const bad = row({ username: 'x'.repeat(3000) }); // longer than the column: SQLSTATE 22001
    const outcomes = await Promise.allSettled([...good, bad].map((each) => sut.insertFirstSight(each)));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
    const stored = await database.query<{ sub: string }>('SELECT sub FROM users WHERE sub = ANY($1)', [
      [...good, bad].map((each) => each.sub),
    ]);
    expect(stored.map((each) => each.sub).sort()).toEqual(good.map((each) => each.sub).sort());
  });

  it('inserts a sub sent twice in one batch once: the second caller gets null and finds the row', async () => {
    const first = row();
    const [a, b] = await Promise.all([sut.insertFirstSight(first), sut.insertFirstSight({ ...first, username: 'other' })]);
    expect(a?.sub).toBe(first.sub);
    expect(b).toBeNull();
    expect((await sut.find('default', first.sub))?.id).toBe(a!.id);
    expect(await database.query('SELECT 1 FROM users WHERE sub = $1', [first.sub])).toHaveLength(1);
  });

  it('answers lookups that arrive together, each with its own row or null', async () => {
    const known = await Promise.all([row(), row()].map((each) => sut.insertFirstSight(each)));
    const subs = [known[0]!.sub, 'no-such-sub', known[1]!.sub, known[0]!.sub];
    const found = await Promise.all(subs.map((sub) => sut.find('default', sub)));
    expect(found.map((user) => user?.id ?? null)).toEqual([known[0]!.id, null, known[1]!.id, known[0]!.id]);
    expect(found[0]).not.toBe(found[3]); // separate copies: a caller changing its row changes no one else's
  });

  it('keeps the same sub in two pools as two people, in one batch and in lookups', async () => {
    const sub = randomUUID();
    const [standard, staff] = await Promise.all([
      sut.insertFirstSight(row({ sub, username: 'in-default' })),
      sut.insertFirstSight(row({ sub, pool: 'staff', username: 'in-staff' })),
    ]);
    expect(standard).toMatchObject({ pool: 'default', username: 'in-default' });
    expect(staff).toMatchObject({ pool: 'staff', username: 'in-staff' });
    expect(staff!.id).not.toBe(standard!.id);
    const found = await Promise.all([sut.find('staff', sub), sut.find('default', sub), sut.find('other', sub)]);
    expect(found.map((user) => user?.id ?? null)).toEqual([staff!.id, standard!.id, null]);
  });

  it('answers a single lookup or insert on an idle database at once', async () => {
    const lone = row();
    expect((await sut.insertFirstSight(lone))?.sub).toBe(lone.sub);
    expect((await sut.find('default', lone.sub))?.email).toBe('someone@example.com');
  });

  it("merges new rows' search entries in the background, so that no insert has to", async () => {
    // Read without merging (pgstattuple), so that looking does not do the upkeep's work.
    await database.query('CREATE EXTENSION IF NOT EXISTS pgstattuple');
    const pendingPages = async () =>
      Number((await database.query<{ pages: string }>(`SELECT pending_pages AS pages FROM pgstatginindex('users_search_trgm')`))[0].pages);
    await database.query(`SELECT gin_clean_pending_list('users_search_trgm')`);
    // Inserts only append to the pending list: without the upkeep, their entries are still there.
    const withoutUpkeep = new UserRows(dataSource.getRepository(User), dataSource, {
      rowsInserted: () => undefined,
    } as unknown as SearchIndexUpkeep);
    await Promise.all(Array.from({ length: 40 }, () => withoutUpkeep.insertFirstSight(row())));
    expect(await pendingPages()).toBeGreaterThan(0);

    await Promise.all(Array.from({ length: 40 }, () => sut.insertFirstSight(row())));
    await waitFor(async () => expect(await pendingPages()).toBe(0), { message: 'the pending list to be merged' });
  });
});
