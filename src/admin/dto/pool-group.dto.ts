import { ApiProperty } from '@nestjs/swagger';

export class PoolGroupDto {
  @ApiProperty({ example: 'admin' })
  name: string;
  @ApiProperty({ type: String, nullable: true })
  description: string | null;
  @ApiProperty({ type: 'integer', nullable: true, description: "Cognito's precedence (lower wins for the role claims)" })
  precedence: number | null;
  @ApiProperty({ description: "Members of this group are this API's admins (the pool's COGNITO_ADMIN_GROUPS)" })
  admin: boolean;
}

export class PoolGroupListDto {
  @ApiProperty({ example: 'default', description: 'The user pool these groups are of' })
  pool: string;
  @ApiProperty({ type: [PoolGroupDto] })
  items: PoolGroupDto[];
}

export class UserGroupsDto {
  @ApiProperty({
    type: [String],
    nullable: true,
    description: "The person's groups in the pool now (null when this server may not read them: AdminListGroupsForUser)",
  })
  groups: string[] | null;
  @ApiProperty({
    description: 'When a change takes effect',
    example: "Takes effect with the person's next token (their next sign-in or token refresh); sign them out everywhere to make that now.",
  })
  message: string;
}

export class PoolAccessDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'object', properties: { pool: { type: 'string' }, action: { type: 'string' }, reason: { type: 'string' } } },
    description:
      'Pool calls this server was refused in the last minutes (no credentials, or an IAM action missing), by pool, with the reason; features using them are greyed out on /admin',
  })
  denied: Array<{ pool: string; action: string; reason: string }>;
}
