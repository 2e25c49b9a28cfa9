import { ApiProperty } from '@nestjs/swagger';
import { UserDto } from './user.dto.js';

export class UserListDto {
  @ApiProperty({ type: [UserDto] })
  items: UserDto[];
  @ApiProperty({ example: 1 })
  page: number;
  @ApiProperty({ example: 20 })
  pageSize: number;
  @ApiProperty({ description: 'Users matching the filters, over all pages' })
  total: number;
}
