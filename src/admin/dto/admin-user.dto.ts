import { ApiProperty, OmitType } from '@nestjs/swagger';
import { ProfileDto } from '../../users/dto/profile.dto.js';
import type { User } from '../../users/user.entity.js';

/** A user as admins see it: the stored profile (groups live in the pool's tokens, not here). */
export class AdminUserDto extends OmitType(ProfileDto, ['groups'] as const) {
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Last request, to within ten minutes' })
  lastSeenAt: Date | null;

  static ofUser(user: User): AdminUserDto {
    const { groups: _groups, ...fields } = ProfileDto.of(user, []);
    return Object.assign(new AdminUserDto(), { ...fields, lastSeenAt: user.lastSeenAt });
  }
}
