import { ApiProperty } from '@nestjs/swagger';
import { AUDIT_ACTIONS, type AuditEntry } from '../audit-entry.entity.js';

export class AuditUserRefDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ type: String, nullable: true })
  username: string | null;
}

export class AuditActorDto extends AuditUserRefDto {
  @ApiProperty({ description: 'Cognito subject of the admin' })
  sub: string;
}

export class AuditEntryDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ enum: AUDIT_ACTIONS })
  action: string;
  @ApiProperty({ type: AuditActorDto, description: 'The admin who made the change' })
  actor: AuditActorDto;
  @ApiProperty({ type: AuditUserRefDto, description: 'The user who was changed' })
  target: AuditUserRefDto;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The changed fields before the change',
    example: { isActive: true },
  })
  before: Record<string, unknown>;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The same fields after the change',
    example: { isActive: false },
  })
  after: Record<string, unknown>;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  static of(entry: AuditEntry, usernames: ReadonlyMap<string, string | null>): AuditEntryDto {
    return Object.assign(new AuditEntryDto(), {
      id: entry.id,
      action: entry.action,
      actor: { id: entry.actorId, sub: entry.actorSub, username: usernames.get(entry.actorId) ?? null },
      target: { id: entry.targetId, username: usernames.get(entry.targetId) ?? null },
      before: entry.before,
      after: entry.after,
      createdAt: entry.createdAt,
    });
  }
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto] })
  items: AuditEntryDto[];
  @ApiProperty({ example: 1 })
  page: number;
  @ApiProperty({ example: 20 })
  pageSize: number;
  @ApiProperty()
  total: number;
}
