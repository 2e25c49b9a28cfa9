import {
  applyDecorators,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  type PipeTransform,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/access.decorator.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { PeoplePools } from '../auth/people-pools.decorator.js';
import { ApiError } from '../common/api-error.js';
import { ApiErrorDto, ApiErrors } from '../common/api-docs.js';
import type { PersonPrincipal } from '../identity/principal.js';
import { InvitationDto } from './dto/admin-user.dto.js';
import { InviteUserDto, POOL_NAME_PATTERN } from './dto/invite-user.dto.js';
import { PoolActionResultDto } from './dto/pool-outcome.dto.js';
import { PoolAccessDto, PoolGroupListDto, UserGroupsDto } from './dto/pool-group.dto.js';
import { PoolQueryDto, PoolUserPageDto, PoolUsersQueryDto } from './dto/pool-user.dto.js';
import { PoolAdminClient } from './pool-admin.client.js';
import { PoolAdminService } from './pool-admin.service.js';

/** The answers of a route whose work is a pool call. */
function ApiPoolErrors(action: string): MethodDecorator {
  return applyDecorators(
    ApiResponse({ status: 502, description: 'The user pool failed or did not answer (pool_unavailable)', type: ApiErrorDto }),
    ApiResponse({
      status: 503,
      description: `This server may not call cognito-idp:${action} (pool_admin_unavailable: no AWS credentials, or its IAM role lacks the action; the message names it), or the database is unreachable (database_unavailable)`,
      type: ApiErrorDto,
    }),
  );
}

/** A group name in the path, as Cognito allows them. */
class GroupNamePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!POOL_NAME_PATTERN.test(value))
      throw new ApiError(400, 'validation_failed', 'group must be a group name of the pool (1-128 characters, no spaces)');
    return value;
  }
}

@ApiTags('admin')
@AdminOnly()
@Controller('api/v1/admin')
export class AdminPoolController {
  constructor(
    private readonly poolAdmin: PoolAdminService,
    private readonly client: PoolAdminClient,
  ) {}

  @Post('users')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Invite a person: their pool account is created and the pool emails them a temporary password (admins only; audited)',
    description:
      'AdminCreateUser (the pool sends the invitation), then AdminAddUserToGroup for each group (unknown groups are a 400 before anything is created, checked with ListGroups). ' +
      'The person is in the admin list from now on with status invited, and becomes active at their first sign-in, which asks for a new password (NEW_PASSWORD_REQUIRED).',
  })
  @ApiCreatedResponse({ type: InvitationDto })
  @ApiErrors(400)
  @ApiResponse({
    status: 409,
    description: 'The pool has an account with this username or email (user_exists), or refused it (pool_refused)',
    type: ApiErrorDto,
  })
  @ApiPoolErrors('AdminCreateUser')
  invite(
    @CurrentUser() principal: PersonPrincipal,
    @Body() invitation: InviteUserDto,
    @PeoplePools() pools: string[],
  ): Promise<InvitationDto> {
    return this.poolAdmin.invite(principal.user, invitation, pools);
  }

  @Post('users/:id/invitation')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send the invitation again, with a new temporary password (admins only; audited)',
    description: 'AdminCreateUser with MessageAction RESEND; only while the first sign-in is pending (else 409 pool_refused).',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: PoolActionResultDto })
  @ApiErrors(400, 404, 409)
  @ApiPoolErrors('AdminCreateUser')
  resendInvitation(
    @CurrentUser() principal: PersonPrincipal,
    @Param('id', ParseUUIDPipe) id: string,
    @PeoplePools() pools: string[],
  ): Promise<PoolActionResultDto> {
    return this.poolAdmin.resendInvitation(principal.user, id, pools);
  }

  @Post('users/:id/reset-password')
  @HttpCode(200)
  @ApiOperation({
    summary: "Reset the person's password in the pool: they get a code and set a new password at their next sign-in (admins only; audited)",
    description:
      'AdminResetUserPassword. The pool sends the code to the verified email (or phone); a person without one cannot be reset this way (409 pool_refused).',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: PoolActionResultDto })
  @ApiErrors(400, 404, 409)
  @ApiPoolErrors('AdminResetUserPassword')
  resetPassword(
    @CurrentUser() principal: PersonPrincipal,
    @Param('id', ParseUUIDPipe) id: string,
    @PeoplePools() pools: string[],
  ): Promise<PoolActionResultDto> {
    return this.poolAdmin.resetPassword(principal.user, id, pools);
  }

  @Get('pool-users')
  @ApiOperation({
    summary: "A pool's accounts, a page at a time with the pool's own pagination, each beside its row in this API (admins only)",
    description:
      "ListUsers, in the pool named by `pool` (default the admin's own). The filter is a prefix of the username or the email (one attribute per request, as the pool allows).",
  })
  @ApiOkResponse({ type: PoolUserPageDto })
  @ApiResponse({
    status: 400,
    description: 'Invalid query (validation_failed), or a paginationToken the pool does not know (invalid_pagination_token)',
    type: ApiErrorDto,
  })
  @ApiPoolErrors('ListUsers')
  poolUsers(
    @CurrentUser() principal: PersonPrincipal,
    @Query() query: PoolUsersQueryDto,
    @PeoplePools() pools: string[],
  ): Promise<PoolUserPageDto> {
    return this.poolAdmin.poolUsers(query, { requested: query.pool, actor: principal.user, managed: pools });
  }

  @Get('groups')
  @ApiOperation({
    summary: "A pool's groups (admins only)",
    description: "ListGroups, in the pool named by `pool` (default the admin's own).",
  })
  @ApiOkResponse({ type: PoolGroupListDto })
  @ApiErrors(400)
  @ApiPoolErrors('ListGroups')
  groups(
    @CurrentUser() principal: PersonPrincipal,
    @Query() query: PoolQueryDto,
    @PeoplePools() pools: string[],
  ): Promise<PoolGroupListDto> {
    return this.poolAdmin.groups({ requested: query.pool, actor: principal.user, managed: pools });
  }

  @Get('pool-access')
  @ApiOperation({
    summary: 'Pool calls this server was refused recently, and why (admins only)',
    description:
      'The /admin page greys out the features that need them. A refusal is remembered five minutes, or until the call works again.',
  })
  @ApiOkResponse({ type: PoolAccessDto })
  poolAccess(): PoolAccessDto {
    return { denied: this.client.deniedActions() };
  }

  @Get('users/:id/groups')
  @ApiOperation({ summary: "The person's groups in the pool (admins only)", description: 'AdminListGroupsForUser.' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: UserGroupsDto })
  @ApiErrors(400, 404, 409)
  @ApiPoolErrors('AdminListGroupsForUser')
  groupsOf(@Param('id', ParseUUIDPipe) id: string, @PeoplePools() pools: string[]): Promise<UserGroupsDto> {
    return this.poolAdmin.groupsOf(id, pools);
  }

  @Put('users/:id/groups/:group')
  @ApiOperation({
    summary: 'Add the person to a pool group, e.g. the admin group (admins only; audited)',
    description:
      "AdminAddUserToGroup. Takes effect with the person's next token (cognito:groups): their next sign-in or token refresh; a sign-out everywhere makes that now.",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'group', example: 'admin' })
  @ApiOkResponse({ type: UserGroupsDto })
  @ApiErrors(400, 404, 409)
  @ApiPoolErrors('AdminAddUserToGroup')
  addToGroup(
    @CurrentUser() principal: PersonPrincipal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('group', GroupNamePipe) group: string,
    @PeoplePools() pools: string[],
  ): Promise<UserGroupsDto> {
    return this.poolAdmin.addToGroup(principal.user, id, group, pools);
  }

  @Delete('users/:id/groups/:group')
  @ApiOperation({
    summary: 'Remove the person from a pool group (admins only; audited)',
    description:
      "AdminRemoveUserFromGroup. An admin cannot remove themselves from an admin group (409 cannot_remove_own_admin). Takes effect with the person's next token, as adding does.",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'group', example: 'admin' })
  @ApiOkResponse({ type: UserGroupsDto })
  @ApiErrors(400, 404, 409)
  @ApiPoolErrors('AdminRemoveUserFromGroup')
  removeFromGroup(
    @CurrentUser() principal: PersonPrincipal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('group', GroupNamePipe) group: string,
    @PeoplePools() pools: string[],
  ): Promise<UserGroupsDto> {
    return this.poolAdmin.removeFromGroup(principal.user, id, group, pools);
  }
}
