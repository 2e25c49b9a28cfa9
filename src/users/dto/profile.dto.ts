import { ApiProperty } from '@nestjs/swagger';
import { groupsOf } from '../../identity/cognito-claims.js';
import type { PersonPrincipal } from '../../identity/principal.js';
import type { User } from '../user.entity.js';

/** The caller's profile as `/api/v1/me` returns it. */
export class ProfileDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({
    example: 'default',
    description: 'The user pool, by its name in the configuration: default, or one of COGNITO_POOLS. A person is their pool and sub',
  })
  pool: string;
  @ApiProperty({ description: 'Cognito subject (unique within the pool)' })
  sub: string;
  @ApiProperty({ type: String, nullable: true })
  username: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'From the pool' })
  email: string | null;
  @ApiProperty()
  emailVerified: boolean;
  @ApiProperty({ type: String, nullable: true })
  firstName: string | null;
  @ApiProperty({ type: String, nullable: true })
  lastName: string | null;
  @ApiProperty({ type: String, nullable: true })
  preferredEmail: string | null;
  @ApiProperty({ type: String, nullable: true })
  githubHandle: string | null;
  @ApiProperty({ type: String, nullable: true })
  slackMemberId: string | null;
  @ApiProperty({ type: String, nullable: true })
  linkedinAccount: string | null;
  @ApiProperty({ type: String, nullable: true, example: '+14155550123', description: 'E.164' })
  phone: string | null;
  @ApiProperty()
  textingOk: boolean;
  @ApiProperty({ type: String, nullable: true, example: 'America/Los_Angeles', description: 'IANA time zone' })
  timeZone: string | null;
  @ApiProperty({ type: [String], description: 'Cognito groups, from the token' })
  groups: string[];
  @ApiProperty()
  isActive: boolean;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt: Date;

  static of(user: User, groups: string[]): ProfileDto {
    return Object.assign(new ProfileDto(), {
      id: user.id,
      pool: user.pool,
      sub: user.sub,
      username: user.username,
      email: user.email,
      emailVerified: user.emailVerified,
      firstName: user.firstName,
      lastName: user.lastName,
      preferredEmail: user.preferredEmail,
      githubHandle: user.githubHandle,
      slackMemberId: user.slackMemberId,
      linkedinAccount: user.linkedinAccount,
      phone: user.phone,
      textingOk: user.textingOk,
      timeZone: user.timeZone,
      groups,
      isActive: user.isActive,
      createdAt: user.createdAt,
      updatedAt: user.updatedAt,
    });
  }

  static ofPrincipal({ user, claims }: PersonPrincipal): ProfileDto {
    return ProfileDto.of(user, groupsOf(claims));
  }
}
