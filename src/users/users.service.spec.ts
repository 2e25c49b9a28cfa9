import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { DataSource, Repository } from 'typeorm';
import { ApiError } from '../common/api-error.js';
import { loadConfig } from '../config/load-config.js';
import { POOL_API_SCOPE, type CognitoAccessClaims } from '../identity/cognito-claims.js';
import type { CognitoProfileClient, PoolProfile } from './cognito-profile.client.js';
import type { LastSeenWriter } from './last-seen.writer.js';
import type { RevokedSessions } from './revoked-sessions.js';
import type { DisabledHandler, SessionRecheck } from './session-recheck.js';
import type { User } from './user.entity.js';
import type { FirstSightRow, UserRows } from './user-rows.js';
import { UserCache } from './user.cache.js';
import { UsersService } from './users.service.js';

const RETRY_SECONDS = 60;

/**
 * The users table as the service reaches it (UserRows for lookups and first sights, a transaction's
 * manager for changes), in memory: the SQL itself is tested against PostgreSQL in test/user-rows.e2e-spec.ts
 * and test/profile-fill.e2e-spec.ts.
 */
class FakeTable {
  readonly rows = new Map<string, User>();
  inserts: FirstSightRow[] = [];
  updates: Array<Partial<User>> = [];
  private nextId = 1;

  readonly userRows = {
    find: (pool: string, sub: string) => Promise.resolve(this.bySub(sub, pool) ?? null),
    insertFirstSight: (row: FirstSightRow) => {
      this.inserts.push(row);
      const { synced, ...fields } = row;
      const user = {
        id: `id-${this.nextId++}`,
        ...fields,
        isActive: true,
        namesEdited: false,
        profileSyncedAt: synced ? new Date() : null,
        tokensRevokedBefore: null,
        erasedAt: null,
      } as unknown as User;
      this.rows.set(user.id, user);
      return Promise.resolve({ ...user });
    },
  } as unknown as UserRows;

  readonly repository = {
    findOneBy: ({ id }: { id: string }) => Promise.resolve(this.rows.get(id) ?? null),
    // The background profile refresh's UPDATE: recorded, and applied as its SQL would.
    createQueryBuilder: () => {
      let id = '';
      const builder = {
        update: () => builder,
        set: () => builder,
        where: (_sql: string, parameters: { id: string }) => ((id = parameters.id), builder),
        setParameters: (parameters: Partial<User>) => {
          this.updates.push(parameters);
          return builder;
        },
        execute: () => {
          const row = this.rows.get(id);
          if (row && !row.erasedAt) row.profileSyncedAt = new Date();
          return Promise.resolve({ affected: row ? 1 : 0 });
        },
      };
      return builder;
    },
  } as unknown as Repository<User>;

  readonly dataSource = {
    transaction: <T>(work: (manager: unknown) => Promise<T>) =>
      work({
        findOne: (_entity: unknown, { where: { id } }: { where: { id: string } }) => Promise.resolve(this.rows.get(id) ?? null),
        update: (_entity: unknown, { id }: { id: string }, set: Partial<User>) => {
          this.updates.push(set);
          // A function is raw SQL (`now()`), as TypeORM takes it.
          const values = Object.entries(set).map(([field, value]) => [field, typeof value === 'function' ? new Date() : value]);
          Object.assign(this.rows.get(id)!, Object.fromEntries(values));
          return Promise.resolve();
        },
        findOneByOrFail: (_entity: unknown, { id }: { id: string }) => Promise.resolve({ ...this.rows.get(id)! }),
      }),
  } as unknown as DataSource;

  bySub(sub: string, pool = 'default'): User | undefined {
    return [...this.rows.values()].find((row) => row.sub === sub && row.pool === pool);
  }
}

const profile: PoolProfile = {
  username: 'alice',
  poolUsername: 'alice',
  email: 'alice@example.com',
  emailVerified: true,
  firstName: 'Alice',
  lastName: 'Liddell',
};

const claims = (sub: string, more: Partial<CognitoAccessClaims> = {}): CognitoAccessClaims =>
  ({
    sub,
    username: sub,
    client_id: 'client-a',
    token_use: 'access',
    scope: POOL_API_SCOPE,
    exp: Date.now() / 1000 + 3600,
    ...more,
  }) as CognitoAccessClaims;

describe(UsersService.name, () => {
  let table: FakeTable;
  let getProfile: jest.Mock<(pool: string, token: string) => Promise<PoolProfile>>;
  let seen: jest.Mock<(user: User) => void>;
  let sut: UsersService;
  let consider: jest.Mock<(pool: string, claims: CognitoAccessClaims, token: string, onDisabled: DisabledHandler) => void>;

  /** Lets background work (a profile refresh) finish. */
  const settle = () => jest.advanceTimersByTimeAsync(0);

  beforeEach(() => {
    jest.useFakeTimers();
    for (const level of ['warn', 'log'] as const) jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
    const config = loadConfig({
      DATABASE_URL: 'postgres://app@127.0.0.1:5432/app',
      COGNITO_REGION: 'us-west-2',
      COGNITO_USER_POOL_ID: 'us-west-2_AbCdEf123',
      COGNITO_CLIENT_IDS: 'client-a',
      PROFILE_RETRY_SECONDS: String(RETRY_SECONDS),
    });
    table = new FakeTable();
    getProfile = jest.fn(() => Promise.resolve(profile));
    seen = jest.fn();
    consider = jest.fn();
    const cache = new UserCache(config);
    cache.setListening(true);
    sut = new UsersService(
      table.repository,
      table.dataSource,
      { getProfile } as unknown as CognitoProfileClient,
      cache,
      { seen } as unknown as LastSeenWriter,
      table.userRows,
      { isRevoked: () => false } as unknown as RevokedSessions,
      { consider } as unknown as SessionRecheck,
      config,
    );
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  describe('the first request of a person', () => {
    it("creates their row with the pool's profile, once for requests that arrive together", async () => {
      const users = await Promise.all([sut.resolve(claims('s-1'), 'token', 'default'), sut.resolve(claims('s-1'), 'token', 'default')]);
      expect(table.inserts).toEqual([{ pool: 'default', sub: 's-1', ...profile, poolUsername: 's-1', synced: true }]);
      expect(getProfile).toHaveBeenCalledTimes(1);
      expect(users[0]).toBe(users[1]);
      expect(users[0]).toMatchObject({ sub: 's-1', email: 'alice@example.com', firstName: 'Alice' });
    });

    it('creates the row without the profile when the pool fails, with the username from the token', async () => {
      getProfile.mockRejectedValue(new Error('pool down'));
      const user = await sut.resolve(claims('s-2', { username: 'bob' }), 'token', 'default');
      expect(user).toMatchObject({ sub: 's-2', username: 'bob', email: null, profileSyncedAt: null });
    });

    it("creates the row from the token's claims alone when the token cannot call the pool (no aws.cognito.signin.user.admin), and never asks", async () => {
      const hostedUi = claims('s-hosted', { username: 'hana', scope: 'openid email' });
      const user = await sut.resolve(hostedUi, 'token', 'default');
      expect(user).toMatchObject({ sub: 's-hosted', username: 'hana', email: null, profileSyncedAt: null });
      await sut.resolve(hostedUi, 'token', 'default');
      await settle();
      expect(getProfile).not.toHaveBeenCalled();
    });

    it('gives the same sub in two pools two rows, each filled from its own pool', async () => {
      const staff = await sut.resolve(claims('s-same'), 'staff-token', 'staff');
      const standard = await sut.resolve(claims('s-same'), 'token', 'default');
      expect(staff.id).not.toBe(standard.id);
      expect([staff.pool, standard.pool]).toEqual(['staff', 'default']);
      expect(getProfile.mock.calls).toEqual([
        ['staff', 'staff-token'],
        ['default', 'token'],
      ]);
      expect(await sut.resolve(claims('s-same'), 'staff-token', 'staff')).toBe(staff);
    });

    it('answers 404 for a person of a pool the caller may not see', async () => {
      const staff = await sut.resolve(claims('s-hidden'), 'token', 'staff');
      await expect(sut.get(staff.id, ['default'])).rejects.toMatchObject({ code: 'not_found' });
      await expect(sut.get(staff.id, ['default', 'staff'])).resolves.toMatchObject({ pool: 'staff' });
    });

    it('finds the row another instance created instead of creating one', async () => {
      await table.userRows.insertFirstSight({
        pool: 'default',
        sub: 's-3',
        username: 'carol',
        poolUsername: 'carol',
        email: null,
        emailVerified: false,
        firstName: null,
        lastName: null,
        synced: true,
      });
      table.inserts = [];
      const user = await sut.resolve(claims('s-3'), 'token', 'default');
      expect(user).toMatchObject({ sub: 's-3', username: 'carol' });
      expect(table.inserts).toEqual([]);
    });
  });

  // The read again after the period is test/profile-fill.e2e-spec.ts's (lru-cache keeps its own clock, which fake timers do not move).
  it(`reads a profile the pool could not give at most once per PROFILE_RETRY_SECONDS (${RETRY_SECONDS} s), in the background`, async () => {
    getProfile.mockRejectedValue(new Error('pool down'));
    await sut.resolve(claims('s-4'), 'token', 'default');
    expect(getProfile).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 5; i++) await sut.resolve(claims('s-4'), 'token', 'default');
    await settle();
    expect(getProfile).toHaveBeenCalledTimes(1);
    expect(table.bySub('s-4')!.profileSyncedAt).toBeNull();
  });

  it('refreshes the profile after a sign-in newer than the last copy, and not on other requests', async () => {
    const user = await sut.resolve(claims('s-5'), 'token', 'default');
    const synced = Math.floor(user.profileSyncedAt!.getTime() / 1000);
    await sut.resolve(claims('s-5', { auth_time: synced - 60 }), 'token', 'default');
    await settle();
    expect(getProfile).toHaveBeenCalledTimes(1);

    await jest.advanceTimersByTimeAsync(5000);
    await sut.resolve(claims('s-5', { auth_time: synced + 5 }), 'token', 'default');
    await settle();
    expect(getProfile).toHaveBeenCalledTimes(2);
    expect(table.updates).toHaveLength(1);
  });

  it('never refreshes an erased person from the pool', async () => {
    const user = await sut.resolve(claims('s-6'), 'token', 'default');
    await sut.erase(user.id, undefined);
    const erased = await sut.resolve(claims('s-6', { auth_time: Math.floor(Date.now() / 1000) + 10 }), 'token', 'default');
    await settle();
    expect(erased.erasedAt).toBeTruthy();
    expect(getProfile).toHaveBeenCalledTimes(1);
  });

  it('tells the last-seen writer about every request of a person', async () => {
    await sut.resolve(claims('s-7'), 'token', 'default');
    await sut.resolve(claims('s-7'), 'token', 'default');
    expect(seen).toHaveBeenCalledTimes(2);
  });

  it('refuses a token issued before the last sign-out everywhere (401 token_revoked), and not one issued after', () => {
    const user = { tokensRevokedBefore: new Date(2_000_000_000_000) } as User;
    expect(() => sut.assertTokenCurrent(user, claims('s', { iat: 1_999_999_999 }))).toThrow(
      expect.objectContaining({ code: 'token_revoked' }) as Error,
    );
    expect(() => sut.assertTokenCurrent(user, claims('s', { iat: 2_000_000_000 }))).not.toThrow();
    expect(() => sut.assertTokenCurrent({ tokensRevokedBefore: null } as User, claims('s', { iat: 1 }))).not.toThrow();
  });

  describe("the pool's answer that a person is disabled", () => {
    /** The person's row, last changed at `changedAt`, and the handler their request gave the recheck. */
    const disabledAnswer = async (sub: string, changedAt: Date) => {
      const user = await sut.resolve(claims(sub), 'token', 'default');
      table.rows.get(user.id)!.updatedAt = changedAt;
      const onDisabled = consider.mock.calls.at(-1)![3];
      return { row: () => table.rows.get(user.id)!, onDisabled };
    };

    it('deactivates the person (403 account_disabled from then on)', async () => {
      const { row, onDisabled } = await disabledAnswer('s-dis', new Date(Date.now() - 60_000));
      await onDisabled(new Date());
      expect(row().isActive).toBe(false);
    });

    it('leaves alone a person changed after the pool was asked (a reactivation meanwhile wins)', async () => {
      const askedAt = new Date(Date.now() - 1000);
      const { row, onDisabled } = await disabledAnswer('s-back', new Date());
      await onDisabled(askedAt);
      expect(row().isActive).toBe(true);
    });
  });

  describe('profile edits', () => {
    it('marks the names as edited (so the pool no longer overwrites them) only when a name changes', async () => {
      const user = await sut.resolve(claims('s-8'), 'token', 'default');
      await sut.updateProfile(user, { timeZone: 'Europe/Paris' });
      expect(table.updates.at(-1)).toEqual({ timeZone: 'Europe/Paris' });
      const edited = await sut.updateProfile(user, { firstName: 'Ally' });
      expect(table.updates.at(-1)).toEqual({ firstName: 'Ally', namesEdited: true });
      expect(edited).toMatchObject({ firstName: 'Ally', namesEdited: true });
    });

    it('writes nothing for an empty edit', async () => {
      const user = await sut.resolve(claims('s-9'), 'token', 'default');
      await expect(sut.updateProfile(user, {})).resolves.toBe(user);
      expect(table.updates).toEqual([]);
    });

    it('serves the edited row to the next request (this instance drops its copy at once)', async () => {
      const user = await sut.resolve(claims('s-10'), 'token', 'default');
      await sut.updateProfile(user, { lastName: 'Changed' });
      await expect(sut.resolve(claims('s-10'), 'token', 'default')).resolves.toMatchObject({ lastName: 'Changed' });
    });
  });

  it('answers 404 for an unknown or erased user', async () => {
    await expect(sut.get('nobody', ['default'])).rejects.toMatchObject({ code: 'not_found' });
    const user = await sut.resolve(claims('s-11'), 'token', 'default');
    await expect(sut.get(user.id, ['default'])).resolves.toMatchObject({ sub: 's-11' });
    await sut.erase(user.id, undefined);
    await expect(sut.get(user.id, ['default'])).rejects.toBeInstanceOf(ApiError);
    await expect(sut.change(user.id, () => ({ set: { firstName: 'x' } }))).rejects.toMatchObject({ code: 'not_found' });
  });
});
