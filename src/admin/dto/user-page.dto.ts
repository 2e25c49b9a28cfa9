import { ApiProperty } from '@nestjs/swagger';
import { AdminUserDto } from './admin-user.dto.js';

export class UserPageDto {
  @ApiProperty({ type: [AdminUserDto] })
  items: AdminUserDto[];
  @ApiProperty({ example: 1 })
  page: number;
  @ApiProperty({ example: 20 })
  pageSize: number;
  @ApiProperty({
    description:
      'Users matching the filters, over all pages: exact up to 1,000; above that an estimate from the database statistics (see totalIsEstimate)',
  })
  total: number;
  @ApiProperty({
    description: 'True when total is an estimate (more than 1,000 matches): counting a large table exactly would read every row',
    example: false,
  })
  totalIsEstimate: boolean;
}
