import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, Repository } from 'typeorm';
import { notFound } from '../common/api-error.js';
import { pageOffset } from '../common/paging.js';
import type { UserLookupQueryDto } from './dto/user-lookup-query.dto.js';
import { User } from './user.entity.js';

/**
 * Read-only lookups of users rows for the users API; it never writes. Erased people are gone, as for
 * admins, and so are the people of pools the caller may not see (`pools`, see @PeoplePools).
 */
@Injectable()
export class UserLookupService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  async get(id: string, pools: readonly string[]): Promise<User> {
    const user = await this.users.findOneBy({ id, erasedAt: IsNull(), pool: In(pools) });
    if (!user) throw notFound(`No user with id ${id}.`);
    return user;
  }

  async find(query: UserLookupQueryDto, pools: readonly string[]): Promise<{ items: User[]; total: number }> {
    const where = {
      erasedAt: IsNull(),
      pool: In(query.pool === undefined ? pools : pools.filter((pool) => pool === query.pool)),
      ...(query.sub !== undefined && { sub: query.sub }),
      ...(query.email !== undefined && { email: query.email }),
      ...(query.username !== undefined && { username: query.username }),
    };
    // The id breaks ties, so that rows created at the same moment never swap places between pages.
    const [items, total] = await this.users.findAndCount({
      where,
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: pageOffset(query),
      take: query.pageSize,
    });
    return { items, total };
  }
}
