import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { User } from '../users/user.entity.js';
import { UsersModule } from '../users/users.module.js';
import { AdminAuditController } from './admin-audit.controller.js';
import { AdminPageController } from './admin-page.controller.js';
import { AdminPoolController } from './admin-pool.controller.js';
import { AdminUsersController } from './admin-users.controller.js';
import { AdminUsersService } from './admin-users.service.js';
import { AuditEntry } from './audit-entry.entity.js';
import { AuditService } from './audit.service.js';
import { PoolAdminClient } from './pool-admin.client.js';
import { PoolAdminService } from './pool-admin.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([User, AuditEntry]), UsersModule],
  controllers: [AdminUsersController, AdminPoolController, AdminAuditController, AdminPageController],
  providers: [AdminUsersService, AuditService, PoolAdminClient, PoolAdminService],
})
export class AdminModule {}
