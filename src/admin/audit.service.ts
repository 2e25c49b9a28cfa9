import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { pageOffset } from '../common/paging.js';
import { User } from '../users/user.entity.js';
import { AuditEntry } from './audit-entry.entity.js';
import { AuditEntryDto } from './dto/audit-entry.dto.js';
import type { AuditQueryDto } from './dto/audit-query.dto.js';

@Injectable()
export class AuditService {
  constructor(
    @InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>,
    @InjectRepository(User) private readonly users: Repository<User>,
  ) {}

  /** Newest first; names of the admins and users involved are looked up in one query per page. */
  async list(query: AuditQueryDto): Promise<{ items: AuditEntryDto[]; total: number }> {
    const [entries, total] = await this.entries.findAndCount({
      where: query.targetId ? { targetId: query.targetId } : {},
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: pageOffset(query),
      take: query.pageSize,
    });
    const ids = [...new Set(entries.flatMap((entry) => [entry.actorId, entry.targetId]))];
    const people = ids.length > 0 ? await this.users.find({ select: { id: true, username: true }, where: { id: In(ids) } }) : [];
    const usernames = new Map(people.map((user) => [user.id, user.username]));
    return { items: entries.map((entry) => AuditEntryDto.of(entry, usernames)), total };
  }
}
