import { IsBoolean, IsEmail, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { IsTimeZone } from '../../common/is-time-zone.validator.js';

/** Lets a text field be cleared with null, while undefined (absent) means "leave as is". */
const Nullable = () => ValidateIf((_object, value) => value !== null);

/** The fields a user may edit on their own profile; anything else in the body is refused. */
export class UpdateProfileDto {
  @IsOptional() @Nullable() @IsString() @MinLength(1) @MaxLength(100)
  firstName?: string | null;

  @IsOptional() @Nullable() @IsString() @MinLength(1) @MaxLength(100)
  lastName?: string | null;

  @IsOptional() @Nullable() @IsEmail() @MaxLength(254)
  preferredEmail?: string | null;

  @IsOptional() @Nullable() @IsString()
  @Matches(/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/, { message: 'githubHandle must be a GitHub username (letters, digits, single hyphens, at most 39)' })
  githubHandle?: string | null;

  @IsOptional() @Nullable() @IsString()
  @Matches(/^[UW][A-Z0-9]{2,30}$/, { message: 'slackMemberId must be a Slack member id such as U012AB3CD' })
  slackMemberId?: string | null;

  @IsOptional() @Nullable() @IsString() @MinLength(1) @MaxLength(200)
  linkedinAccount?: string | null;

  @IsOptional() @Nullable() @IsString()
  @Matches(/^\+[1-9]\d{1,14}$/, { message: 'phone must be in E.164 format, e.g. +14155550123' })
  phone?: string | null;

  @IsOptional() @IsBoolean()
  textingOk?: boolean;

  @IsOptional() @Nullable() @IsTimeZone()
  timeZone?: string | null;
}
