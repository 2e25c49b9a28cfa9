import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DatabaseHealthIndicator } from './database.health.js';
import { HealthController } from './health.controller.js';
import { SigningKeysHealthIndicator } from './signing-keys.health.js';

@Module({
  // JwksKeyProvider comes from the global AuthModule.
  imports: [TerminusModule.forRoot()],
  controllers: [HealthController],
  providers: [DatabaseHealthIndicator, SigningKeysHealthIndicator],
})
export class HealthModule {}
