import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsEmail, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

/** What Cognito accepts as a username or a group name: letters, marks, symbols, digits, punctuation; no spaces. */
export const POOL_NAME_PATTERN = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u;

export class InviteUserDto {
  @ApiPropertyOptional({ maxLength: 32, example: 'default', description: "The user pool to invite the person to; default the admin's own" })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  pool?: string;

  @ApiProperty({ format: 'email', maxLength: 254, description: 'Where the pool sends the invitation with its temporary password' })
  @IsString()
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiPropertyOptional({
    maxLength: 128,
    description: 'The pool username; default the email (a pool whose usernames are emails refuses anything else)',
  })
  @IsOptional()
  @IsString()
  @Matches(POOL_NAME_PATTERN, { message: 'username must be 1-128 letters, digits, symbols or punctuation, without spaces' })
  username?: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  firstName?: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  lastName?: string;

  @ApiPropertyOptional({ type: [String], maxItems: 25, description: 'Groups of the pool to add the person to (each must exist)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(25)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(POOL_NAME_PATTERN, { each: true, message: 'each group must be a group name of the pool' })
  groups?: string[];
}
