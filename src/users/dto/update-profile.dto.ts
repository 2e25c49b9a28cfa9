import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsOptional, IsString, IsTimeZone, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { IsOptionalNotNull } from '../../common/optional-not-null.js';

/** Lets a text field be cleared with null, while undefined (absent) means "leave as is". */
const Nullable = () => ValidateIf((_object, value) => value !== null);

/** The fields a user may edit on their own profile; anything else in the body is refused. */
export class UpdateProfileDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 100 })
  @IsOptional()
  @Nullable()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  firstName?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 100 })
  @IsOptional()
  @Nullable()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  lastName?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'email' })
  @IsOptional()
  @Nullable()
  @IsEmail()
  @MaxLength(254)
  preferredEmail?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'octocat' })
  @IsOptional()
  @Nullable()
  @IsString()
  @Matches(/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/, {
    message: 'githubHandle must be a GitHub username (letters, digits, single hyphens, at most 39)',
  })
  githubHandle?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'U012AB3CD' })
  @IsOptional()
  @Nullable()
  @IsString()
  @Matches(/^[UW][A-Z0-9]{2,30}$/, { message: 'slackMemberId must be a Slack member id such as U012AB3CD' })
  slackMemberId?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 200 })
  @IsOptional()
  @Nullable()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  linkedinAccount?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '+14155550123', description: 'E.164' })
  @IsOptional()
  @Nullable()
  @IsString()
  @Matches(/^\+[1-9]\d{1,14}$/, { message: 'phone must be in E.164 format, e.g. +14155550123' })
  phone?: string | null;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptionalNotNull()
  @IsBoolean()
  textingOk?: boolean;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Europe/Berlin', description: 'IANA time zone' })
  @IsOptional()
  @Nullable()
  // Names only: on Node 24, Intl (hence IsTimeZone) also takes offsets such as +02:00.
  @Matches(/^[A-Za-z]/, { message: 'timeZone must be a name, not an offset' })
  @IsTimeZone({ message: 'timeZone must be an IANA time zone name such as America/New_York' })
  timeZone?: string | null;
}
