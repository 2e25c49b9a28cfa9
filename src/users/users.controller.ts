import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import { ADMIN_GROUPS } from '../auth/groups.guard.js';
import { PeoplePools } from '../auth/people-pools.decorator.js';
import { ownScope } from '../auth/scopes.guard.js';
import { ApiErrors } from '../common/api-docs.js';
import { UserListDto } from './dto/user-list.dto.js';
import { UserLookupQueryDto } from './dto/user-lookup-query.dto.js';
import { UserDto } from './dto/user.dto.js';
import { UserLookupService } from './user-lookup.service.js';

export const USERS_READ = ownScope('users.read');

/** Read-only users API for other apps of the pools (client credentials) and for admins: the people of the pools the route accepts. */
@ApiTags('users')
@Access({ groups: [ADMIN_GROUPS], scopes: [USERS_READ] })
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly lookup: UserLookupService) {}

  @Get()
  @ApiOperation({
    summary: 'Users matching exact filters, a page at a time (app clients with the users.read scope, or admins)',
  })
  @ApiOkResponse({ type: UserListDto })
  @ApiErrors(400)
  async find(@Query() query: UserLookupQueryDto, @PeoplePools() pools: string[]): Promise<UserListDto> {
    const { items, total } = await this.lookup.find(query, pools);
    return { items: items.map((user) => UserDto.ofUser(user)), page: query.page, pageSize: query.pageSize, total };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One user (app clients with the users.read scope, or admins)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: UserDto })
  @ApiErrors(400, 404)
  async get(@Param('id', ParseUUIDPipe) id: string, @PeoplePools() pools: string[]): Promise<UserDto> {
    return UserDto.ofUser(await this.lookup.get(id, pools));
  }
}
