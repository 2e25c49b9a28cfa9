import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { ProfileDto } from '../../users/dto/profile.dto.js';
import type { User } from '../../users/user.entity.js';
import { PoolOutcomeDto } from './pool-outcome.dto.js';

export const USER_STATUSES = ['invited', 'active', 'deactivated'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** Invited and never seen by this API: the first sign-in is still to come. */
export function userStatusOf(user: Pick<User, 'isActive' | 'invitedAt' | 'lastSeenAt'>): UserStatus {
  if (!user.isActive) return 'deactivated';
  return user.invitedAt && !user.lastSeenAt ? 'invited' : 'active';
}

/** A user as admins see it: the stored profile (groups live in the pool's tokens, not here). */
export class AdminUserDto extends OmitType(ProfileDto, ['groups'] as const) {
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Last request, to within ten minutes' })
  lastSeenAt: Date | null;

  @ApiProperty({
    enum: USER_STATUSES,
    description: 'invited: an admin invited them and they have not signed in yet; deactivated: isActive is false; else active',
  })
  status: UserStatus;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When an admin invited them (null: they came by themselves)',
  })
  invitedAt: Date | null;

  static ofUser(user: User): AdminUserDto {
    const { groups: _groups, ...fields } = ProfileDto.of(user, []);
    return Object.assign(new AdminUserDto(), {
      ...fields,
      lastSeenAt: user.lastSeenAt,
      status: userStatusOf(user),
      invitedAt: user.invitedAt,
    });
  }
}

/** The person as admins see them, without the pool's name: in the answers of changes, `pool` says what the pool did. */
function withoutPoolName(user: User): Omit<AdminUserDto, 'pool'> {
  const { pool: _name, ...fields } = AdminUserDto.ofUser(user);
  return fields;
}

/**
 * A user after an admin's change, with what happened in the pool when the change has a pool side
 * (isActive). Here `pool` is that outcome, as it was before people had pools: the person's pool is
 * in the list and in GET /api/v1/admin/users/{id}.
 */
export class AdminUserChangeDto extends OmitType(AdminUserDto, ['pool'] as const) {
  @ApiPropertyOptional({
    type: PoolOutcomeDto,
    description: "Present when isActive was sent: the account disabled or enabled in the person's pool, or why not",
  })
  pool?: PoolOutcomeDto;

  static ofChange(user: User, pool?: PoolOutcomeDto): AdminUserChangeDto {
    return Object.assign(new AdminUserChangeDto(), withoutPoolName(user), pool && { pool });
  }
}

/** The answer of an invitation: the new person (status invited) and what their pool did (`pool`, as in AdminUserChangeDto). */
export class InvitationDto extends OmitType(AdminUserDto, ['pool'] as const) {
  @ApiProperty({ type: PoolOutcomeDto, example: { invitationSent: true, groups: ['volunteers'] } })
  pool: PoolOutcomeDto;

  static of(user: User, pool: PoolOutcomeDto): InvitationDto {
    return Object.assign(new InvitationDto(), withoutPoolName(user), { pool });
  }
}
