import { groupsOf } from '../../auth/cognito-claims.js';
import type { Principal } from '../../auth/principal.js';
import type { User } from '../user.entity.js';

/** The caller's profile as `/api/v1/me` returns it. */
export class ProfileDto {
  id: string;
  sub: string;
  username: string | null;
  email: string | null;
  emailVerified: boolean;
  firstName: string | null;
  lastName: string | null;
  preferredEmail: string | null;
  githubHandle: string | null;
  slackMemberId: string | null;
  linkedinAccount: string | null;
  phone: string | null;
  textingOk: boolean;
  timeZone: string | null;
  /** Cognito groups, from the token. */
  groups: string[];
  isActive: boolean;
  createdAt: Date;
  updatedAt: Date;

  static of(user: User, groups: string[]): ProfileDto {
    return Object.assign(new ProfileDto(), {
      id: user.id,
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

  static ofPrincipal({ user, claims }: Principal): ProfileDto {
    return ProfileDto.of(user, groupsOf(claims));
  }
}
