import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, type SelectQueryBuilder } from 'typeorm';
import { ApiError } from '../common/api-error.js';
import { AppConfig } from '../config/app-config.js';
import { likePattern, pageOffset } from '../common/paging.js';
import { User } from '../users/user.entity.js';
import { CognitoProfileClient, PoolCallError } from '../users/cognito-profile.client.js';
import { SignOutEverywhereDto } from '../users/dto/sign-out-everywhere.dto.js';
import { isIndexedSort, sortedUserPage } from './sorted-user-page.js';
import { UsersService } from '../users/users.service.js';
import { AuditEntry, type AuditAction, type ChangedValues } from './audit-entry.entity.js';
import type { AdminUpdateUserDto } from './dto/admin-update-user.dto.js';
import type { UserListQueryDto } from './dto/user-list-query.dto.js';
import type { EraseResultDto, PoolOutcomeDto } from './dto/pool-outcome.dto.js';
import { PoolAdminService } from './pool-admin.service.js';
import { poolAuditValue } from './pool-admin.errors.js';

export function cannotEraseSelf(): ApiError {
  return new ApiError(HttpStatus.CONFLICT, 'cannot_erase_self', 'You cannot erase your own account. Ask another admin.');
}

function poolUnavailable(error: PoolCallError): ApiError {
  if (error.notFound) return new ApiError(HttpStatus.CONFLICT, 'not_in_pool', 'The user pool has no such user any more.');
  if (error.outcome === 'no_credentials') {
    return new ApiError(
      HttpStatus.SERVICE_UNAVAILABLE,
      'pool_admin_unavailable',
      "This server has no AWS credentials for the pool's admin API (AdminGetUser), so it cannot read the pool now. The profile is refreshed from the pool at the user's next sign-in anyway.",
    );
  }
  return new ApiError(HttpStatus.BAD_GATEWAY, 'pool_unavailable', `The user pool could not be read: ${error.message}`);
}

/** The values of earlier entries about an erased user, with their personal values removed (the field names stay). */
const BLANK_VALUES = `COALESCE((SELECT jsonb_object_agg(key, null) FROM jsonb_each(%s)), '{}'::jsonb)`;

/** Up to this many matches, a list's total is exact; beyond, it is PostgreSQL's estimate. */
export const EXACT_COUNT_LIMIT = 1000;

/** The searched fields as one text: the expression the users_search_trgm index is built on. */
const USER_SEARCH_TEXT = `(coalesce(u.email, '') || ' ' || coalesce(u.username, '') || ' ' || coalesce(u.firstName, '') || ' ' || coalesce(u.lastName, ''))`;

export interface UserPage {
  items: User[];
  total: number;
  totalIsEstimate: boolean;
}

export function cannotDeactivateSelf(): ApiError {
  return new ApiError(
    HttpStatus.CONFLICT,
    'cannot_deactivate_self',
    'You cannot deactivate your own account: you would lock yourself out. Ask another admin.',
  );
}

/**
 * The name the pool's admin calls take: its own user name, never preferred_username (not an alias by
 * default). Rows from before it was kept: the sub, which Cognito takes for a local user too.
 */
function poolUsernameOf(user: User): string {
  return user.poolUsername ?? user.sub;
}

function isSelf(actor: User, id: string): boolean {
  return id.toLowerCase() === actor.id.toLowerCase();
}

function audit(actor: User, action: AuditAction, targetId: string, before: ChangedValues, after: ChangedValues): Partial<AuditEntry> {
  return { actorId: actor.id, actorSub: actor.sub, action, targetId, before, after };
}

/** Fields of a user whose values are text or flags: the ones admins and the pool change. */
type PlainFields = Partial<Pick<User, keyof AdminUpdateUserDto | 'username' | 'email' | 'emailVerified'>>;

/** The fields a change really alters, with their values before and after; unchanged ones are left out. */
function diff(user: User, changes: PlainFields): { before: ChangedValues; after: ChangedValues } {
  const before: ChangedValues = {};
  const after: ChangedValues = {};
  for (const [field, value] of Object.entries(changes) as Array<[keyof PlainFields, string | boolean | null | undefined]>) {
    if (value === undefined || user[field] === value) continue;
    before[field] = user[field] ?? null;
    after[field] = value;
  }
  return { before, after };
}

function actionOf(after: ChangedValues): AuditAction {
  if (after.isActive === false) return 'user.deactivated';
  if (after.isActive === true) return 'user.reactivated';
  return 'user.updated';
}

@Injectable()
export class AdminUsersService {
  private readonly allPools: readonly string[];

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly usersService: UsersService,
    private readonly pool: CognitoProfileClient,
    private readonly poolAdmin: PoolAdminService,
    config: AppConfig,
  ) {
    this.allPools = config.pools.map((pool) => pool.name);
  }

  /** The people of `pools` (those the admin may see), narrowed by the query's filters. */
  async list(query: UserListQueryDto, pools: readonly string[]): Promise<UserPage> {
    const filtered = this.users.createQueryBuilder('u');
    const shown = query.pool === undefined ? pools : pools.filter((pool) => pool === query.pool);
    // A pool the admin may not see shows nobody, as an unknown one does.
    if (shown.length === 0) filtered.where('FALSE');
    else filtered.where('u.pool IN (:...pools)', { pools: shown });
    if (query.search) {
      const pattern = likePattern(query.search);
      // The first condition narrows the rows through the trigram index (it may match across two
      // fields); the second keeps the answer exactly what it always was.
      filtered.andWhere(`${USER_SEARCH_TEXT} ILIKE :pattern`, { pattern });
      filtered.andWhere(
        `(u.email ILIKE :pattern ESCAPE '\\' OR u.username ILIKE :pattern ESCAPE '\\' OR u.firstName ILIKE :pattern ESCAPE '\\'
          OR u.lastName ILIKE :pattern ESCAPE '\\' OR concat_ws(' ', u.firstName, u.lastName) ILIKE :pattern ESCAPE '\\')`,
      );
    }
    if (query.isActive !== undefined) filtered.andWhere('u.isActive = :isActive', { isActive: query.isActive });
    if (query.notSeenForDays !== undefined) {
      filtered.andWhere('(u.lastSeenAt IS NULL OR u.lastSeenAt < now() - make_interval(days => :days))', { days: query.notSeenForDays });
    }
    filtered.andWhere('u.erasedAt IS NULL');
    const order = query.order === 'asc' ? 'ASC' : 'DESC';
    // The id breaks ties, so that rows with equal sort keys never swap places between pages.
    // createdAt is never null: the users_created_at_id index serves both directions.
    const sort = query.sort;
    const page = isIndexedSort(sort)
      ? () => sortedUserPage(this.users, filtered, sort, order, pageOffset(query), query.pageSize)
      : () =>
          filtered
            .clone()
            .orderBy('u.createdAt', order)
            .addOrderBy('u.id', order)
            .offset(pageOffset(query))
            .limit(query.pageSize)
            .getMany();
    const [items, total] = await Promise.all([
      page(),
      this.count(
        filtered,
        query.search !== undefined ||
          query.isActive !== undefined ||
          query.notSeenForDays !== undefined ||
          shown.length < this.allPools.length,
      ),
    ]);
    return { items, ...total };
  }

  /**
   * Counting every match reads every match: exact up to EXACT_COUNT_LIMIT, then PostgreSQL's own
   * estimate (the table's row count, or the planner's for a filter), flagged as such.
   */
  private async count(filtered: SelectQueryBuilder<User>, hasFilter: boolean): Promise<{ total: number; totalIsEstimate: boolean }> {
    const [capped, parameters] = filtered
      .clone()
      .select('1')
      .limit(EXACT_COUNT_LIMIT + 1)
      .getQueryAndParameters();
    const [{ total }] = await this.users.manager.query<Array<{ total: number }>>(
      `SELECT count(*)::int AS total FROM (${capped}) capped`,
      parameters,
    );
    if (total <= EXACT_COUNT_LIMIT) return { total, totalIsEstimate: false };
    let estimate: number;
    if (hasFilter) {
      const [query, queryParameters] = filtered.clone().select('1').getQueryAndParameters();
      const [{ 'QUERY PLAN': plan }] = await this.users.manager.query<Array<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }>>(
        `EXPLAIN (FORMAT JSON) ${query}`,
        queryParameters,
      );
      estimate = plan[0].Plan['Plan Rows'];
    } else {
      const [{ rows }] = await this.users.manager.query<Array<{ rows: number }>>(
        `SELECT reltuples::bigint::float8 AS rows FROM pg_class WHERE oid = 'users'::regclass`,
      );
      estimate = rows;
    }
    return { total: Math.max(Math.round(estimate), EXACT_COUNT_LIMIT + 1), totalIsEstimate: true };
  }

  get(id: string, pools: readonly string[]): Promise<User> {
    return this.usersService.get(id, pools);
  }

  /**
   * Applies an admin's change and its audit entry in one transaction (both or neither), through
   * the users module, with the row locked so that "before" is exactly what the change replaced.
   * A change of isActive also disables or enables the account in the pool first; the API's change
   * happens whatever the pool answers, and the answer and the audit entry say what the pool did.
   */
  async update(
    actor: User,
    id: string,
    changes: AdminUpdateUserDto,
    pools: readonly string[],
  ): Promise<{ user: User; pool?: PoolOutcomeDto }> {
    // The id pipe accepts upper-case uuids too; PostgreSQL would still find the admin's own row.
    if (changes.isActive === false && isSelf(actor, id)) throw cannotDeactivateSelf();
    const target = await this.usersService.get(id, pools);
    const pool = changes.isActive === undefined ? undefined : await this.poolAdmin.setEnabled(target, changes.isActive);
    const user = await this.usersService.change(id, (user) => {
      const { before, after } = diff(user, changes);
      const audited = pool
        ? {
            before: { ...before, poolAccount: null },
            after: { ...after, poolAccount: poolAuditValue(changes.isActive ? 'enabled' : 'disabled', pool.error) },
          }
        : { before, after };
      // A repeated deactivation changes nothing here (its pool call is repeated harmlessly): no entry.
      if (Object.keys(after).length === 0) return null;
      const namesEdited = 'firstName' in after || 'lastName' in after;
      return {
        set: { ...after, ...(namesEdited && { namesEdited: true }) },
        alongside: (manager) => manager.insert(AuditEntry, audit(actor, actionOf(after), id, audited.before, audited.after)),
      };
    });
    return { user, pool };
  }

  /** Reads the user's attributes with AdminGetUser and copies the pool-owned ones (audited). */
  async refreshFromPool(actor: User, id: string, pools: readonly string[]): Promise<User> {
    const user = await this.usersService.get(id, pools);
    const profile = await this.pool.adminGetProfile(user.pool, poolUsernameOf(user)).catch((error: PoolCallError) => {
      throw poolUnavailable(error);
    });
    return this.usersService.change(id, (current) => {
      const { before, after } = diff(current, this.usersService.poolFields(current, profile));
      return {
        set: { ...after, profileSyncedAt: () => 'now()' },
        alongside: (manager) =>
          Object.keys(after).length > 0 ? manager.insert(AuditEntry, audit(actor, 'user.refreshed', id, before, after)) : Promise.resolve(),
      };
    });
  }

  /** Revokes the user's tokens here (audited) and, when this server may, in their pool (AdminUserGlobalSignOut). */
  async signOutEverywhere(actor: User, id: string, pools: readonly string[]): Promise<SignOutEverywhereDto> {
    const user = await this.usersService.get(id, pools);
    const pool = await this.pool.adminGlobalSignOut(user.pool, poolUsernameOf(user)).then(
      () => ({ outcome: 'done' as const, problem: undefined }),
      (error: PoolCallError) => ({ outcome: error.outcome, problem: error.message }),
    );
    const { revokedBefore } = await this.usersService.revokeTokens(id, (manager, current, revokedBefore) =>
      manager.insert(
        AuditEntry,
        audit(
          actor,
          'user.signed_out',
          id,
          { tokensRevokedBefore: current.tokensRevokedBefore?.toISOString() ?? null, poolSignOut: null },
          { tokensRevokedBefore: revokedBefore.toISOString(), poolSignOut: pool.outcome },
        ),
      ),
    );
    return SignOutEverywhereDto.of(revokedBefore, pool.outcome, pool.problem);
  }

  /**
   * Erases the person's data in one transaction: the row keeps only its ids, earlier audit entries
   * about them lose their values, and one entry records who erased which id when (no personal data).
   * Then the pool account is deleted (AdminDeleteUser); the answer says whether that happened.
   */
  async erase(actor: User, id: string, pools: readonly string[]): Promise<EraseResultDto> {
    if (isSelf(actor, id)) throw cannotEraseSelf();
    const before = await this.usersService.get(id, pools);
    await this.usersService.erase(id, async (manager) => {
      await manager.query(
        `UPDATE audit_entries SET before = ${BLANK_VALUES.replace('%s', 'before')}, after = ${BLANK_VALUES.replace('%s', 'after')}
          WHERE target_id = $1`,
        [id],
      );
      await manager.insert(AuditEntry, audit(actor, 'user.erased', id, {}, {}));
    });
    return { id: before.id, erased: true, pool: await this.poolAdmin.deleteAccount(actor, before) };
  }
}
