import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ApiError } from '../common/api-error.js';
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

function isSelf(actor: User, id: string): boolean {
  return id.toLowerCase() === actor.id.toLowerCase();
}

function audit(actor: User, action: AuditAction, targetId: string, before: ChangedValues, after: ChangedValues): Partial<AuditEntry> {
  return { actorId: actor.id, actorSub: actor.sub, action, targetId, before, after };
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

  get(id: string): Promise<User> {
    return this.usersService.get(id);
  }

  /**
   * Applies an admin's change and its audit entry in one transaction (both or neither), through
   * the users module, with the row locked so that "before" is exactly what the change replaced.
   */
  update(actor: User, id: string, changes: AdminUpdateUserDto): Promise<User> {
    // The id pipe accepts upper-case uuids too; PostgreSQL would still find the admin's own row.
    if (changes.isActive === false && isSelf(actor, id)) throw cannotDeactivateSelf();
    return this.usersService.change(id, (user) => {
      const { before, after } = diff(user, changes);
      if (Object.keys(after).length === 0) return null;
      const namesEdited = 'firstName' in after || 'lastName' in after;
      return {
        set: { ...after, ...(namesEdited && { namesEdited: true }) },
        alongside: (manager) => manager.insert(AuditEntry, audit(actor, actionOf(after), id, before, after)),
      };
    });
  }
}
