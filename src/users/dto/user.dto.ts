import { OmitType } from '@nestjs/swagger';
import type { User } from '../user.entity.js';
import { ProfileDto } from './profile.dto.js';

/** A user as the users API answers: the /me profile without `groups` (those live in people's tokens). */
export class UserDto extends OmitType(ProfileDto, ['groups'] as const) {
  static ofUser(user: User): UserDto {
    const { groups: _groups, ...fields } = ProfileDto.of(user, []);
    return Object.assign(new UserDto(), fields);
  }
}
