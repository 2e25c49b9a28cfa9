import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { ApiError, notFound } from '../common/api-error.js';
import { likePattern } from '../common/paging.js';
import { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { AuditEntry, type AuditAction, type ChangedValues } from './audit-entry.entity.js';
import type { AdminUpdateUserDto } from './dto/admin-update-user.dto.js';
import type { UserListQueryDto } from './dto/user-list-query.dto.js';

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

  async list(query: UserListQueryDto): Promise<{ items: User[]; total: number }> {
    const select = this.users.createQueryBuilder('u');
    if (query.search) {
      select.andWhere(
        `(u.email ILIKE :pattern ESCAPE '\\' OR u.username ILIKE :pattern ESCAPE '\\' OR u.firstName ILIKE :pattern ESCAPE '\\'
          OR u.lastName ILIKE :pattern ESCAPE '\\' OR concat_ws(' ', u.firstName, u.lastName) ILIKE :pattern ESCAPE '\\')`,
        { pattern: likePattern(query.search) },
      );
    }
    if (query.isActive !== undefined) select.andWhere('u.isActive = :isActive', { isActive: query.isActive });
    const order = query.order === 'asc' ? 'ASC' : 'DESC';
    // The id breaks ties, so that rows with equal sort keys never swap places between pages.
    select.orderBy(`u.${query.sort}`, order, 'NULLS LAST').addOrderBy('u.id', order).offset(query.offset).limit(query.pageSize);
    const [items, total] = await select.getManyAndCount();
    return { items, total };
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
