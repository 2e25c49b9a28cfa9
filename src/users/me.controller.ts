import { Body, Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import { AccessToken } from '../auth/access-token.decorator.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import type { PersonPrincipal } from '../identity/principal.js';
import { ApiErrors } from '../common/api-docs.js';
import { ProfileDto } from './dto/profile.dto.js';
import { SignOutDto } from './dto/sign-out.dto.js';
import { SignOutEverywhereDto } from './dto/sign-out-everywhere.dto.js';
import { UpdateProfileDto } from './dto/update-profile.dto.js';
import { UsersService } from './users.service.js';

@ApiTags('me')
@Access()
@Controller('api/v1/me')
export class MeController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: "The caller's profile; the first call of a new user creates it from the pool's attributes" })
  @ApiOkResponse({ type: ProfileDto })
  me(@CurrentUser() principal: PersonPrincipal): ProfileDto {
    return ProfileDto.ofPrincipal(principal);
  }

  @Patch()
  @ApiOperation({ summary: 'Edit your own profile; unknown or invalid fields refuse the whole request' })
  @ApiOkResponse({ type: ProfileDto })
  @ApiErrors(400)
  async update(@CurrentUser() principal: PersonPrincipal, @Body() changes: UpdateProfileDto): Promise<ProfileDto> {
    const user = await this.users.updateProfile(principal.user, changes);
    return ProfileDto.ofPrincipal({ ...principal, user });
  }

  @Post('sign-out')
  @HttpCode(200)
  @ApiOperation({
    summary: "Sign out this session: the caller's sign-in session (origin_jti) is refused (401 token_revoked) on every instance",
    description:
      "Tokens of the user's other sign-in sessions keep working. The refresh token is the pool's: an SPA revokes it beside this call (Amplify's signOut()). 409 no_session for a token that names no session (no origin_jti or jti).",
  })
  @ApiOkResponse({ type: SignOutDto })
  @ApiErrors(409)
  signOut(@CurrentUser() principal: PersonPrincipal): Promise<SignOutDto> {
    return this.users.signOut(principal.user, principal.claims);
  }

  @Post('sign-out-everywhere')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign out everywhere: every access token issued before now is refused (401 token_revoked) on every instance',
    description:
      "Also calls the pool's GlobalSignOut with the caller's token (refresh tokens stop working); the answer says whether that happened. A new sign-in works at once.",
  })
  @ApiOkResponse({ type: SignOutEverywhereDto })
  signOutEverywhere(@CurrentUser() principal: PersonPrincipal, @AccessToken() token: string): Promise<SignOutEverywhereDto> {
    return this.users.signOutEverywhere(principal.user, token);
  }
}
