import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Draining } from '../common/draining.js';
import { DatabaseHealthIndicator } from './database.health.js';
import { HealthController } from './health.controller.js';
import { NotificationsHealthIndicator } from './notifications.health.js';
import { SigningKeysHealthIndicator } from './signing-keys.health.js';
import { UsersModule } from '../users/users.module.js';

@Module({
  // PoolKeys comes from the global AuthModule; UserChangesListener from UsersModule.
  imports: [TerminusModule.forRoot(), UsersModule],
  controllers: [HealthController],
  providers: [DatabaseHealthIndicator, SigningKeysHealthIndicator, NotificationsHealthIndicator, Draining],
})
export class HealthModule {}
