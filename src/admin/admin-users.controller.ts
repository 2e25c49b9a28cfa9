import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { AdminOnly } from '../auth/groups.decorator.js';
import type { Principal } from '../auth/principal.js';
import { ApiAuthenticated, ApiErrors } from '../common/api-docs.js';
import { AdminUsersService } from './admin-users.service.js';
import { AdminUpdateUserDto } from './dto/admin-update-user.dto.js';
import { AdminUserDto } from './dto/admin-user.dto.js';
import { UserListQueryDto } from './dto/user-list-query.dto.js';
import { UserPageDto } from './dto/user-page.dto.js';

@ApiTags('admin')
@ApiAuthenticated()
@AdminOnly()
@Controller('api/v1/admin/users')
export class AdminUsersController {
  constructor(private readonly adminUsers: AdminUsersService) {}

  @Get()
  @ApiOperation({ summary: 'Users, a page at a time, with search and an active-state filter (admins only)' })
  @ApiOkResponse({ type: UserPageDto })
  @ApiErrors(400)
  async list(@Query() query: UserListQueryDto): Promise<UserPageDto> {
    const { items, total, totalIsEstimate } = await this.adminUsers.list(query);
    return { items: items.map((user) => AdminUserDto.ofUser(user)), page: query.page, pageSize: query.pageSize, total, totalIsEstimate };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One user (admins only)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: AdminUserDto })
  @ApiErrors(400, 404)
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<AdminUserDto> {
    return AdminUserDto.ofUser(await this.adminUsers.get(id));
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Deactivate or reactivate a user, or correct profile fields (admins only; audited)',
    description:
      'Profile fields follow the rules of PATCH /api/v1/me. Deactivation keeps the data; an admin cannot deactivate themselves (409).',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: AdminUserDto })
  @ApiErrors(400, 404, 409)
  async update(
    @CurrentUser() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() changes: AdminUpdateUserDto,
  ): Promise<AdminUserDto> {
    return AdminUserDto.ofUser(await this.adminUsers.update(principal.user, id, changes));
  }
}
