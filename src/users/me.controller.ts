import { Body, Controller, Get, Patch } from '@nestjs/common';
import { CurrentUser } from '../auth/current-user.decorator.js';
import type { Principal } from '../auth/principal.js';
import { ProfileDto } from './dto/profile.dto.js';
import { UpdateProfileDto } from './dto/update-profile.dto.js';
import { UsersService } from './users.service.js';

@Controller('api/v1/me')
export class MeController {
  constructor(private readonly users: UsersService) {}

  @Get()
  me(@CurrentUser() principal: Principal): ProfileDto {
    return ProfileDto.ofPrincipal(principal);
  }

  @Patch()
  async update(@CurrentUser() principal: Principal, @Body() changes: UpdateProfileDto): Promise<ProfileDto> {
    const user = await this.users.updateProfile(principal.user, changes);
    return ProfileDto.ofPrincipal({ ...principal, user });
  }
}
