import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import type { PoolAccount } from '../pool-admin.client.js';
import type { User } from '../../users/user.entity.js';
import { USER_STATUSES, userStatusOf, type UserStatus } from './admin-user.dto.js';

/** Names the pool of a pool call about no one in particular (its accounts, its groups). */
export class PoolQueryDto {
  @ApiPropertyOptional({
    maxLength: 32,
    example: 'default',
    description: "The user pool (default, or one of COGNITO_POOLS); default the admin's own",
  })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  pool?: string;
}

export class PoolUsersQueryDto extends PoolQueryDto {
  @ApiPropertyOptional({
    maxLength: 100,
    description: 'Accounts whose username (or email, see filterBy) starts with this text; the pool compares case-sensitively',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  // Control characters have no place in a username or an email, and would only make the pool's filter fail.
  @Matches(/^[^\p{Cc}]*$/u, { message: 'filter must not hold control characters' })
  filter?: string;

  @ApiPropertyOptional({
    enum: ['username', 'email'],
    description: 'Which attribute the filter applies to; default email when the filter holds @, else username',
  })
  @IsOptional()
  @IsIn(['username', 'email'])
  filterBy?: 'username' | 'email';

  @ApiPropertyOptional({ maxLength: 4096, description: "The previous page's paginationToken" })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  @Matches(/^[\x21-\x7e]+$/, { message: 'paginationToken must be the token of a previous page' })
  paginationToken?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 60,
    default: 20,
    description: 'Accounts per page (the pool allows at most 60)',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,3}$/.test(value) ? Number(value) : value))
  @IsInt()
  @Min(1)
  @Max(60)
  limit?: number;
}

/** The API's row of a pool account, when it has one. */
export class PoolUserRowDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ enum: USER_STATUSES })
  status: UserStatus;
}

export class PoolUserDto {
  @ApiProperty({ description: "The pool's username (what admin calls and sign-in use)" })
  username: string;
  @ApiProperty({ type: String, nullable: true })
  sub: string | null;
  @ApiProperty({ type: String, nullable: true })
  email: string | null;
  @ApiProperty()
  emailVerified: boolean;
  @ApiProperty({ type: String, nullable: true })
  firstName: string | null;
  @ApiProperty({ type: String, nullable: true })
  lastName: string | null;
  @ApiProperty({
    example: 'CONFIRMED',
    description:
      "The pool's status: CONFIRMED, FORCE_CHANGE_PASSWORD (invited, first sign-in pending), RESET_REQUIRED, UNCONFIRMED, EXTERNAL_PROVIDER…",
  })
  status: string;
  @ApiProperty({ description: 'false: disabled in the pool (cannot sign in)' })
  enabled: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  createdAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  updatedAt: Date | null;
  @ApiProperty({
    type: PoolUserRowDto,
    nullable: true,
    description: "The API's row of this account (null: never signed in to this API, nor invited here)",
  })
  user: PoolUserRowDto | null;

  static of(account: PoolAccount, row: User | undefined): PoolUserDto {
    return Object.assign(new PoolUserDto(), { ...account, user: row ? { id: row.id, status: userStatusOf(row) } : null });
  }
}

export class PoolUserPageDto {
  @ApiProperty({ example: 'default', description: 'The user pool these accounts are of' })
  pool: string;
  @ApiProperty({ type: [PoolUserDto] })
  items: PoolUserDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as paginationToken for the next page; null on the last page' })
  paginationToken: string | null;
}
