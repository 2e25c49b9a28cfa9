import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository, type SelectQueryBuilder } from 'typeorm';
import { ApiError, notFound } from '../common/api-error.js';
import { likePattern } from '../common/paging.js';
import { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { AuditEntry, type AuditAction, type ChangedValues } from './audit-entry.entity.js';
import type { AdminUpdateUserDto } from './dto/admin-update-user.dto.js';
import type { UserListQueryDto } from './dto/user-list-query.dto.js';

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

function userNotFound(id: string): ApiError {
  return notFound(`No user with id ${id}.`);
}

/** The fields a change really alters, with their values before and after; unchanged ones are left out. */
function diff(user: User, changes: AdminUpdateUserDto): { before: ChangedValues; after: ChangedValues } {
  const before: ChangedValues = {};
  const after: ChangedValues = {};
  for (const [field, value] of Object.entries(changes) as Array<[keyof AdminUpdateUserDto, string | boolean | null | undefined]>) {
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
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly usersService: UsersService,
  ) {}

  async list(query: UserListQueryDto): Promise<UserPage> {
    const filtered = this.users.createQueryBuilder('u');
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
    const order = query.order === 'asc' ? 'ASC' : 'DESC';
    // The id breaks ties, so that rows with equal sort keys never swap places between pages. createdAt
    // is never null: without a NULLS clause the users_created_at_id index serves both directions.
    const nulls = query.sort === 'createdAt' ? undefined : 'NULLS LAST';
    const page = filtered
      .clone()
      .orderBy(`u.${query.sort}`, order, nulls)
      .addOrderBy('u.id', order)
      .offset(query.offset)
      .limit(query.pageSize);
    const [items, total] = await Promise.all([
      page.getMany(),
      this.count(filtered, query.search !== undefined || query.isActive !== undefined),
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
    const [{ total }] = await this.dataSource.query<Array<{ total: number }>>(
      `SELECT count(*)::int AS total FROM (${capped}) capped`,
      parameters,
    );
    if (total <= EXACT_COUNT_LIMIT) return { total, totalIsEstimate: false };
    let estimate: number;
    if (hasFilter) {
      const [query, queryParameters] = filtered.clone().select('1').getQueryAndParameters();
      const [{ 'QUERY PLAN': plan }] = await this.dataSource.query<Array<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }>>(
        `EXPLAIN (FORMAT JSON) ${query}`,
        queryParameters,
      );
      estimate = plan[0].Plan['Plan Rows'];
    } else {
      const [{ rows }] = await this.dataSource.query<Array<{ rows: number }>>(
        `SELECT reltuples::bigint::float8 AS rows FROM pg_class WHERE oid = 'users'::regclass`,
      );
      estimate = rows;
    }
    return { total: Math.max(Math.round(estimate), EXACT_COUNT_LIMIT + 1), totalIsEstimate: true };
  }

  async get(id: string): Promise<User> {
    const user = await this.users.findOneBy({ id });
    if (!user) throw userNotFound(id);
    return user;
  }

  /**
   * Applies an admin's change and its audit entry in one transaction (both or neither), with the
   * row locked so that "before" is exactly what the change replaced.
   */
  async update(actor: User, id: string, changes: AdminUpdateUserDto): Promise<User> {
    // The id pipe accepts upper-case uuids too; PostgreSQL would still find the admin's own row.
    if (changes.isActive === false && id.toLowerCase() === actor.id.toLowerCase()) throw cannotDeactivateSelf();
    const updated = await this.dataSource.transaction(async (manager) => {
      const user = await manager.findOne(User, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw userNotFound(id);
      const { before, after } = diff(user, changes);
      if (Object.keys(after).length === 0) return user;
      await manager.update(User, { id }, after);
      await manager.insert(AuditEntry, { actorId: actor.id, actorSub: actor.sub, action: actionOf(after), targetId: id, before, after });
      return manager.findOneByOrFail(User, { id });
    });
    // This instance honours the change at once; others within their short cache lifetime.
    this.usersService.forget(updated.sub);
    return updated;
  }
}
