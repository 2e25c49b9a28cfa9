import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { AdminOnly } from '../auth/access.decorator.js';
import { PeoplePools } from '../auth/people-pools.decorator.js';
import type { PersonPrincipal } from '../identity/principal.js';
import { ApiErrorDto, ApiErrors } from '../common/api-docs.js';
import { AdminUsersService } from './admin-users.service.js';
import { AdminUpdateUserDto } from './dto/admin-update-user.dto.js';
import { AdminUserChangeDto, AdminUserDto } from './dto/admin-user.dto.js';
import { EraseResultDto } from './dto/pool-outcome.dto.js';
import { UserListQueryDto } from './dto/user-list-query.dto.js';
import { UserPageDto } from './dto/user-page.dto.js';
import { SignOutEverywhereDto } from '../users/dto/sign-out-everywhere.dto.js';

@ApiTags('admin')
@AdminOnly()
@Controller('api/v1/admin/users')
export class AdminUsersController {
  constructor(private readonly adminUsers: AdminUsersService) {}

  @Get()
  @ApiOperation({
    summary: 'Users, a page at a time, with search, active-state and pool filters (admins only)',
    description: "The people of the pools this route accepts (with ADMIN_OWN_POOL_ONLY: of the admin's own pool only).",
  })
  @ApiOkResponse({ type: UserPageDto })
  @ApiErrors(400)
  async list(@Query() query: UserListQueryDto, @PeoplePools() pools: string[]): Promise<UserPageDto> {
    const { items, total, totalIsEstimate } = await this.adminUsers.list(query, pools);
    return { items: items.map((user) => AdminUserDto.ofUser(user)), page: query.page, pageSize: query.pageSize, total, totalIsEstimate };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One user (admins only)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: AdminUserDto })
  @ApiErrors(400, 404)
  async get(@Param('id', ParseUUIDPipe) id: string, @PeoplePools() pools: string[]): Promise<AdminUserDto> {
    return AdminUserDto.ofUser(await this.adminUsers.get(id, pools));
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Deactivate or reactivate a user, or correct profile fields (admins only; audited)',
    description:
      'Profile fields follow the rules of PATCH /api/v1/me. Deactivation keeps the data; an admin cannot deactivate themselves (409). ' +
      'isActive also disables (AdminDisableUser) or enables (AdminEnableUser) the account in the user pool, so that it cannot sign in to any app of the pool; ' +
      'the API side happens whatever the pool answers, and `pool` says what the pool did, e.g. { "disabled": true }, or { "disabled": false, "error": { "action": "AdminDisableUser", "code": "pool_admin_unavailable", … } }.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: AdminUserChangeDto })
  @ApiErrors(400, 404, 409)
  async update(
    @CurrentUser() principal: PersonPrincipal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() changes: AdminUpdateUserDto,
    @PeoplePools() pools: string[],
  ): Promise<AdminUserChangeDto> {
    const { user, pool } = await this.adminUsers.update(principal.user, id, changes, pools);
    return AdminUserChangeDto.ofChange(user, pool);
  }

  @Post(':id/refresh-from-pool')
  @HttpCode(200)
  @ApiOperation({
    summary: "Copy the user's pool attributes (email, verification, username, unedited names) now (admins only; audited)",
    description:
      "Reads the pool with AdminGetUser, which needs the server's AWS credentials (503 pool_admin_unavailable without them; the profile is refreshed at the user's next sign-in anyway). The local emulator needs none.",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: AdminUserDto })
  @ApiErrors(400, 404, 409)
  @ApiResponse({ status: 502, description: 'The pool failed (pool_unavailable)', type: ApiErrorDto })
  async refreshFromPool(
    @CurrentUser() principal: PersonPrincipal,
    @Param('id', ParseUUIDPipe) id: string,
    @PeoplePools() pools: string[],
  ): Promise<AdminUserDto> {
    return AdminUserDto.ofUser(await this.adminUsers.refreshFromPool(principal.user, id, pools));
  }

  @Post(':id/sign-out-everywhere')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Revoke every token the user holds: 401 token_revoked on every instance (admins only; audited)',
    description:
      'Also calls AdminUserGlobalSignOut when the server has AWS credentials for the pool; the answer says whether the pool sign-out happened. The user can sign in again at once.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: SignOutEverywhereDto })
  @ApiErrors(400, 404)
  signOutEverywhere(
    @CurrentUser() principal: PersonPrincipal,
    @Param('id', ParseUUIDPipe) id: string,
    @PeoplePools() pools: string[],
  ): Promise<SignOutEverywhereDto> {
    return this.adminUsers.signOutEverywhere(principal.user, id, pools);
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({
    summary: "Erase the person's data, then delete their pool account (admins only; audited without personal data)",
    description:
      "In one transaction: every personal value of the row is removed (a tombstone keeps the ids, so the user's tokens and sign-ins are refused instead of re-creating the profile), earlier audit entries about them lose their values, and an entry records who erased which id when. " +
      'Then the account is deleted from the user pool (AdminDeleteUser); `pool` says whether that happened ({ "deleted": true }, or { "deleted": false, "error": { "action", "code", "message" } }), and so does an audit entry (user.pool_deleted). Admins cannot erase themselves (409).',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: EraseResultDto, description: 'Erased' })
  @ApiErrors(400, 404, 409)
  erase(
    @CurrentUser() principal: PersonPrincipal,
    @Param('id', ParseUUIDPipe) id: string,
    @PeoplePools() pools: string[],
  ): Promise<EraseResultDto> {
    return this.adminUsers.erase(principal.user, id, pools);
  }
}
