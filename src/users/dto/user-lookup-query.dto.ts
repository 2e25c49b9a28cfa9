import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/paging.js';

/** Exact-match filters of GET /api/v1/users; all given filters must match. */
export class UserLookupQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ maxLength: 32, example: 'default', description: 'The user pool, by its name (default, or one of COGNITO_POOLS)' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  pool?: string;

  @ApiPropertyOptional({ maxLength: 128, description: 'Cognito subject, exactly (with pool: one person; without: that sub in every pool)' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  sub?: string;

  @ApiPropertyOptional({ maxLength: 2048, description: 'Email address as stored, exactly (case-sensitive)' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  email?: string;

  @ApiPropertyOptional({ maxLength: 2048, description: 'Username, exactly (case-sensitive)' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  username?: string;
}
