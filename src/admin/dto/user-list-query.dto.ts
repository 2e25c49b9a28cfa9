import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { PageQueryDto } from '../../common/paging.js';

export const USER_SORTS = ['createdAt', 'username', 'email', 'lastName', 'lastSeenAt'] as const;
export type UserSort = (typeof USER_SORTS)[number];

/** Query strings carry text; only the exact words true and false become booleans. */
function booleanWord({ value }: { value: unknown }): unknown {
  return value === 'true' ? true : value === 'false' ? false : value;
}

export class UserListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    maxLength: 32,
    example: 'default',
    description: 'Only the people of this user pool (default, or one of COGNITO_POOLS)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  pool?: string;

  @ApiPropertyOptional({ maxLength: 100, description: 'Part of the email, username, first or last name (case-insensitive)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  search?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'Only active (true) or only deactivated (false) users' })
  @IsOptional()
  @Transform(booleanWord)
  @IsBoolean()
  isActive?: boolean;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 3650,
    description: 'Only users not seen (no request) for this many days, or never',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : value))
  @IsInt()
  @Min(1)
  @Max(3650)
  notSeenForDays?: number;

  @ApiPropertyOptional({
    enum: USER_SORTS,
    default: 'createdAt',
    description: 'Ties are broken by id. Users without a value come last in either order; text is sorted on its first 256 characters.',
  })
  @IsOptional()
  @IsIn(USER_SORTS)
  sort: UserSort = 'createdAt';

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order: 'asc' | 'desc' = 'desc';
}
