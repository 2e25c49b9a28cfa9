import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AuthModule } from '../auth/auth.module.js';
import { DatabaseHealthIndicator } from './database.health.js';
import { HealthController } from './health.controller.js';
import { SigningKeysHealthIndicator } from './signing-keys.health.js';

@Module({
  imports: [TerminusModule.forRoot(), AuthModule],
  controllers: [HealthController],
  providers: [DatabaseHealthIndicator, SigningKeysHealthIndicator],
})
export class HealthModule {}
