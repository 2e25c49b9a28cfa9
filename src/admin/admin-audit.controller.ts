import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/access.decorator.js';
import { ApiErrors } from '../common/api-docs.js';
import { AuditService } from './audit.service.js';
import { AuditPageDto } from './dto/audit-entry.dto.js';
import { AuditQueryDto } from './dto/audit-query.dto.js';

@ApiTags('admin')
@AdminOnly()
@Controller('api/v1/admin/audit')
export class AdminAuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: "Admins' changes, newest first, optionally for one user (admins only)" })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiErrors(400)
  async list(@Query() query: AuditQueryDto): Promise<AuditPageDto> {
    const { items, total } = await this.audit.list(query);
    return { items, page: query.page, pageSize: query.pageSize, total };
  }
}
