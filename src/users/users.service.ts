import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
import { DataSource, EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { canCallPool, CognitoAccessClaims, sessionOf } from '../identity/cognito-claims.js';
import { TokenError } from '../auth/token-errors.js';
import { ApiError, notFound } from '../common/api-error.js';
import { AppConfig } from '../config/app-config.js';
import { UserAccounts } from '../identity/user-accounts.js';
import { CognitoProfileClient, PoolCallError, type PoolProfile } from './cognito-profile.client.js';
import { SignOutDto } from './dto/sign-out.dto.js';
import { SignOutEverywhereDto } from './dto/sign-out-everywhere.dto.js';
import { UpdateProfileDto } from './dto/update-profile.dto.js';
import { LastSeenWriter } from './last-seen.writer.js';
import { RevokedSessions } from './revoked-sessions.js';
import { SessionRecheck } from './session-recheck.js';
import { personKey, UserCache, type CacheTicket } from './user.cache.js';
import { User } from './user.entity.js';
import { UserRows } from './user-rows.js';

/** What an invitation knows of the person: the pool, the pool account's sub and attributes. */
export type InvitedRow = Pick<User, 'pool' | 'sub' | 'username' | 'email' | 'emailVerified' | 'firstName' | 'lastName'>;

/** What a change of one row sets, and what else (an audit entry) is written in the same transaction. */
export interface UserChange {
  set: QueryDeepPartialEntity<User>;
  alongside?: (manager: EntityManager, before: User) => Promise<unknown>;
}

export function tokenRevoked(): TokenError {
  return new TokenError('token_revoked', 'This token was revoked by a sign-out; sign in again.');
}

/**
 * The only writer of `users` rows and the owner of their per-instance cache (UserCache): every
 * write goes through here, so that this instance drops its copy at once and the database trigger
 * tells every other instance.
 */
@Injectable()
export class UsersService implements UserAccounts {
  private readonly logger = new Logger(UsersService.name);
  private readonly loading = new Map<string, { ticket: CacheTicket; promise: Promise<User> }>();
  /** People (personKey) whose pool profile was read recently (successfully or not); an entry expires when a retry is due. */
  private readonly recentFillAttempts: LRUCache<string, true>;

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly pool: CognitoProfileClient,
    private readonly cache: UserCache,
    private readonly lastSeen: LastSeenWriter,
    private readonly rows: UserRows,
    private readonly revokedSessions: RevokedSessions,
    private readonly recheck: SessionRecheck,
    config: AppConfig,
  ) {
    this.recentFillAttempts = new LRUCache({ max: 10_000, ttl: config.profileRetryMs });
  }

  /**
   * The caller's row, created on first sight of their pool and `sub`. Concurrent first requests share
   * one load here, and the insert is idempotent across instances (ON CONFLICT DO NOTHING on pool and
   * `sub`). A sign-in newer than the last copy of the pool's attributes refreshes them in the background.
   */
  resolve(claims: CognitoAccessClaims, accessToken: string, pool: string): Promise<User> | User {
    const cached = this.cache.get(pool, claims.sub);
    if (cached) {
      this.afterResolve(cached, claims, accessToken);
      return cached;
    }
    const key = personKey(pool, claims.sub);
    let pending = this.loading.get(key);
    // A load that began before the row changed must not serve requests that arrive after the change.
    if (!pending || this.cache.isStale(pending.ticket)) {
      const ticket = this.cache.ticket(pool, claims.sub);
      const entry = { ticket, promise: this.load(ticket, pool, claims, accessToken) };
      void entry.promise
        .finally(() => {
          if (this.loading.get(key) === entry) this.loading.delete(key);
        })
        .catch(() => undefined);
      this.loading.set(key, entry);
      pending = entry;
    }
    return pending.promise.then((user) => {
      this.afterResolve(user, claims, accessToken);
      return user;
    });
  }

  /** Refuses a token of a revoked session, or issued before the user's last sign-out everywhere (401 token_revoked). */
  assertTokenCurrent(user: User, claims: CognitoAccessClaims): void {
    if (this.revokedSessions.isRevoked(user.pool, sessionOf(claims))) throw tokenRevoked();
    if (user.tokensRevokedBefore && (claims.iat ?? 0) * 1000 < user.tokensRevokedBefore.getTime()) throw tokenRevoked();
  }

  async updateProfile(user: User, changes: UpdateProfileDto): Promise<User> {
    if (Object.keys(changes).length === 0) return user;
    const namesEdited = changes.firstName !== undefined || changes.lastName !== undefined;
    return this.change(user.id, () => ({ set: { ...changes, ...(namesEdited && { namesEdited: true }) } }));
  }

  /** Signs the caller out of their pool (with their own token) and revokes every token issued before now. */
  async signOutEverywhere(user: User, accessToken: string): Promise<SignOutEverywhereDto> {
    const pool = await this.pool.globalSignOut(user.pool, accessToken).then(
      () => ({ outcome: 'done' as const, problem: undefined }),
      (error: PoolCallError) => ({ outcome: error.outcome, problem: error.message }),
    );
    const { revokedBefore } = await this.revokeTokens(user.id);
    return SignOutEverywhereDto.of(revokedBefore, pool.outcome, pool.problem);
  }

  /** Refuses the caller's sign-in session (origin_jti, else jti) on every instance; the user's other sessions keep working. */
  async signOut(user: User, claims: CognitoAccessClaims): Promise<SignOutDto> {
    const session = sessionOf(claims);
    if (!session)
      throw new ApiError(
        HttpStatus.CONFLICT,
        'no_session',
        'This token names no sign-in session (no origin_jti or jti); use sign-out-everywhere.',
      );
    return SignOutDto.of(await this.revokedSessions.revoke(user.pool, session, claims.exp));
  }

  /** A user by id, read from the database; erased ones, and the people of pools other than `pools`, are not found (404). */
  async get(id: string, pools: readonly string[]): Promise<User> {
    const user = await this.users.findOneBy({ id });
    if (!user || user.erasedAt || !pools.includes(user.pool)) throw notFound(`No user with id ${id}.`);
    return user;
  }

  /**
   * Changes one row in a transaction, with the row locked so that `plan` sees exactly what the
   * change replaces; `alongside` writes (an audit entry) commit or roll back with it. A plan that
   * returns null changes nothing.
   */
  async change(id: string, plan: (current: User) => UserChange | null): Promise<User> {
    const updated = await this.dataSource.transaction(async (manager) => {
      const current = await manager.findOne(User, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!current || current.erasedAt) throw notFound(`No user with id ${id}.`);
      const change = plan(current);
      if (!change) return current;
      if (Object.keys(change.set).length > 0) await manager.update(User, { id }, change.set);
      await change.alongside?.(manager, current);
      return manager.findOneByOrFail(User, { id });
    });
    // This instance drops its copy at once; the others when the trigger's notification arrives.
    this.cache.invalidate(updated.pool, updated.sub);
    return updated;
  }

  /**
   * The row of a person an admin invited: their pool account exists (its pool and `sub` are the key)
   * and they have not signed in. Their first request finds this row by pool and `sub`, as any later one does.
   */
  async createInvited(row: InvitedRow, alongside: (manager: EntityManager, user: User) => Promise<unknown>): Promise<User> {
    const user = await this.dataSource.transaction(async (manager) => {
      const { identifiers } = await manager.insert(User, { ...row, invitedAt: () => 'now()', profileSyncedAt: () => 'now()' });
      const created = await manager.findOneByOrFail(User, { id: identifiers[0].id as string });
      await alongside(manager, created);
      return created;
    });
    this.cache.invalidate(user.pool, user.sub);
    return user;
  }

  /**
   * Revokes every token issued before now. `iat` has whole seconds, so the revocation covers the
   * current second too, and the call returns only once that second is over: a sign-in after it
   * returns gets a later `iat` and works at once, while a token issued earlier in the same second
   * is refused.
   */
  async revokeTokens(
    id: string,
    alongside?: (manager: EntityManager, before: User, revokedBefore: Date) => Promise<unknown>,
  ): Promise<{ user: User; revokedBefore: Date }> {
    const revokedBefore = new Date((Math.floor(Date.now() / 1000) + 1) * 1000);
    const user = await this.change(id, () => ({
      set: { tokensRevokedBefore: revokedBefore },
      alongside: alongside && ((manager, before) => alongside(manager, before, revokedBefore)),
    }));
    const wait = revokedBefore.getTime() - Date.now();
    if (wait > 0) await new Promise((done) => setTimeout(done, wait));
    return { user, revokedBefore };
  }

  /**
   * Erases the person's data: the row keeps only its ids as a tombstone (audit entries refer to it,
   * and a token or sign-in of the same pool user is then refused instead of re-creating the profile).
   */
  erase(id: string, alongside: UserChange['alongside']): Promise<User> {
    return this.change(id, () => ({
      set: {
        username: null,
        poolUsername: null,
        email: null,
        emailVerified: false,
        firstName: null,
        lastName: null,
        preferredEmail: null,
        githubHandle: null,
        slackMemberId: null,
        linkedinAccount: null,
        phone: null,
        textingOk: false,
        timeZone: null,
        isActive: false,
        namesEdited: false,
        profileSyncedAt: null,
        lastSeenAt: null,
        tokensRevokedBefore: () => 'now()',
        erasedAt: () => 'now()',
      },
      alongside,
    }));
  }

  /** The pool-owned fields a pool profile would set on this row (names only if the user has not edited them). */
  poolFields(user: User, profile: PoolProfile): Partial<User> {
    return {
      username: profile.username || user.username,
      poolUsername: profile.poolUsername || user.poolUsername,
      email: profile.email,
      emailVerified: profile.emailVerified,
      firstName: user.namesEdited ? (user.firstName ?? profile.firstName) : profile.firstName,
      lastName: user.namesEdited ? (user.lastName ?? profile.lastName) : profile.lastName,
    };
  }

  private afterResolve(user: User, claims: CognitoAccessClaims, accessToken: string): void {
    if (user.erasedAt) return;
    // Cheapest test first: almost every request has a copy of the pool's attributes as new as its sign-in.
    if (this.needsPoolProfile(user, claims) && canCallPool(claims) && !this.recentFillAttempts.has(personKey(user.pool, user.sub))) {
      // A refresh must not slow the request down: it runs in the background.
      void this.refreshFromPool(user, claims, accessToken);
    }
    this.lastSeen.seen(user);
    this.recheck.consider(user.pool, claims, accessToken, (askedAt) => this.deactivateDisabled(user, askedAt));
  }

  /**
   * The pool says the user is disabled: deactivated here too (403 account_disabled on every instance),
   * unless the row changed after the pool was asked (a reactivation meanwhile is the newer word; if the
   * pool still says disabled, the next period's check says it again).
   */
  private async deactivateDisabled(user: User, askedAt: Date): Promise<void> {
    let deactivated = false;
    await this.change(user.id, (current) => {
      deactivated = current.isActive && current.updatedAt <= askedAt;
      return deactivated ? { set: { isActive: false } } : null;
    });
    if (deactivated) this.logger.log(`User ${user.id} deactivated: the pool says the user is disabled`);
  }

  /** Never copied yet, or the token comes from a sign-in newer than the last copy. */
  private needsPoolProfile(user: User, claims: CognitoAccessClaims): boolean {
    if (!user.profileSyncedAt) return true;
    return typeof claims.auth_time === 'number' && claims.auth_time * 1000 > user.profileSyncedAt.getTime();
  }

  private async load(ticket: CacheTicket, pool: string, claims: CognitoAccessClaims, accessToken: string): Promise<User> {
    const user = (await this.rows.find(pool, claims.sub)) ?? (await this.create(pool, claims, accessToken));
    this.cache.put(ticket, user);
    return user;
  }

  /**
   * First sight: the pool's attributes are read first, then the row is written whole in one
   * statement, so that a failure at any point (pool, database, process) leaves no row or a complete
   * one. If the pool cannot be read, the row is created without them and filled in later. The
   * insert returns the row; only when another request inserted it first is it read. The request is
   * the user's first sight, so no separate last-seen write follows.
   */
  private async create(pool: string, claims: CognitoAccessClaims, accessToken: string): Promise<User> {
    const key = personKey(pool, claims.sub);
    // A token without the API scope cannot read the profile (the pool refuses it): the claims must do.
    const profile = canCallPool(claims) ? await this.readPoolProfile(key, pool, accessToken) : null;
    const inserted = await this.rows.insertFirstSight({
      pool,
      sub: claims.sub,
      username: profile?.username || claims.username || null,
      poolUsername: claims.username ?? null,
      email: profile?.email ?? null,
      emailVerified: profile?.emailVerified ?? false,
      firstName: profile?.firstName ?? null,
      lastName: profile?.lastName ?? null,
      synced: profile !== null,
    });
    if (profile) this.recentFillAttempts.delete(key);
    if (inserted) return inserted;
    const existing = await this.rows.find(pool, claims.sub);
    if (!existing) throw new Error(`The row of ${claims.sub} (pool ${pool}) was neither inserted nor found`);
    return existing;
  }

  /** Marks the attempt first, so that concurrent requests do not read the pool again; a successful write clears the mark. */
  private async readPoolProfile(key: string, pool: string, accessToken: string): Promise<PoolProfile | null> {
    this.recentFillAttempts.set(key, true);
    try {
      return await this.pool.getProfile(pool, accessToken);
    } catch (error) {
      this.logger.warn(`Could not read the pool profile of ${key}; will retry later: ${String(error)}`);
      return null;
    }
  }

  /**
   * Copies the pool's attributes into the row (at most once per sign-in: the copy is stamped no
   * earlier than the sign-in). Only the pool's fields are written, never a copy of the row, and
   * nothing is put into the cache: the write's invalidation makes the next request read it.
   */
  private async refreshFromPool(user: User, claims: CognitoAccessClaims, accessToken: string): Promise<void> {
    const key = personKey(user.pool, user.sub);
    const profile = await this.readPoolProfile(key, user.pool, accessToken);
    if (!profile) return;
    try {
      await this.users
        .createQueryBuilder()
        .update()
        .set({
          username: () => "COALESCE(NULLIF(:username, ''), username)",
          poolUsername: () => 'COALESCE(:poolUsername, pool_username)',
          email: profile.email,
          emailVerified: profile.emailVerified,
          firstName: () => 'CASE WHEN names_edited THEN COALESCE(first_name, :firstName) ELSE :firstName END',
          lastName: () => 'CASE WHEN names_edited THEN COALESCE(last_name, :lastName) ELSE :lastName END',
          profileSyncedAt: () => 'GREATEST(now(), to_timestamp(:authTime))',
        })
        .where('id = :id AND erased_at IS NULL', { id: user.id })
        .setParameters({
          username: profile.username,
          poolUsername: claims.username ?? null,
          firstName: profile.firstName,
          lastName: profile.lastName,
          authTime: typeof claims.auth_time === 'number' ? claims.auth_time : 0,
        })
        .execute();
      this.cache.invalidate(user.pool, user.sub);
      this.recentFillAttempts.delete(key);
    } catch (error) {
      this.logger.warn(`Could not save the pool profile of ${key}; will retry later: ${String(error)}`);
    }
  }
}
