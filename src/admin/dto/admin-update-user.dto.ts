import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { IsOptionalNotNull } from '../../common/optional-not-null.js';
import { UpdateProfileDto } from '../../users/dto/update-profile.dto.js';

/** What an admin may change: the profile fields a user edits on /me (same rules), and the active state. */
export class AdminUpdateUserDto extends UpdateProfileDto {
  @ApiPropertyOptional({ type: Boolean, description: 'false deactivates the user (every request refused), true reactivates' })
  @IsOptionalNotNull()
  @IsBoolean()
  isActive?: boolean;
}
