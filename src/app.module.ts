import { DynamicModule, Module, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminModule } from './admin/admin.module.js';
import { AuthModule } from './auth/auth.module.js';
import { JwtAuthGuard } from './auth/jwt-auth.guard.js';
import { ApiExceptionFilter } from './common/api-exception.filter.js';
import { QueryParametersGuard } from './common/query-parameters.guard.js';
import { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { buildDataSourceOptions } from './database/data-source-options.js';
import { HealthModule } from './health/health.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { QueryFailureLogger } from './metrics/query-failure.logger.js';
import { UsersModule } from './users/users.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot({ ...buildDataSourceOptions(config.databaseUrl), retryAttempts: 0, logger: new QueryFailureLogger() }),
        AuthModule.forRoot(UsersModule),
        UsersModule,
        AdminModule,
        HealthModule,
        MetricsModule,
      ],
      providers: [
        // Global guards run in this order: the token first, so that a caller without one learns nothing else.
        { provide: APP_GUARD, useExisting: JwtAuthGuard },
        QueryParametersGuard,
        { provide: APP_GUARD, useExisting: QueryParametersGuard },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({
            whitelist: true,
            forbidNonWhitelisted: true,
            forbidUnknownValues: true,
            transform: true,
            transformOptions: { enableImplicitConversion: false },
          }),
        },
      ],
    };
  }
}
