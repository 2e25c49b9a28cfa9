import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { notFound } from '../common/api-error.js';
import { pageOffset } from '../common/paging.js';
import type { UserLookupQueryDto } from './dto/user-lookup-query.dto.js';
import { User } from './user.entity.js';

/** Read-only lookups of users rows for the users API; it never writes. Erased people are gone, as for admins. */
@Injectable()
export class UserLookupService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  async get(id: string): Promise<User> {
    const user = await this.users.findOneBy({ id, erasedAt: IsNull() });
    if (!user) throw notFound(`No user with id ${id}.`);
    return user;
  }

  async find(query: UserLookupQueryDto): Promise<{ items: User[]; total: number }> {
    const where = {
      erasedAt: IsNull(),
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
