import { ArgumentsHost, Catch, Controller, ExceptionFilter, Get, ServiceUnavailableException, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator.js';
import { DatabaseHealthIndicator } from './database.health.js';
import { SigningKeysHealthIndicator } from './signing-keys.health.js';

/** Answers a failed check with Terminus' own body (`status`, `info`, `error`, `details`), which names the failing part. */
@Catch(ServiceUnavailableException)
class HealthCheckFailedFilter implements ExceptionFilter {
  catch(exception: ServiceUnavailableException, host: ArgumentsHost): void {
    void host.switchToHttp().getResponse<FastifyReply>().status(503).header('cache-control', 'no-store').send(exception.getResponse());
  }
}

@ApiTags('health')
@Public()
@UseFilters(HealthCheckFailedFilter)
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly signingKeys: SigningKeysHealthIndicator,
  ) {}

  /** The process answers; nothing else is checked, so a database outage never gets the instance restarted. */
  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process answers (nothing else is checked); no token needed' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /** Can serve authenticated requests: PostgreSQL answers and the pool's signing keys are loaded. */
  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: "Readiness: PostgreSQL answers and the pool's signing keys are loaded; 503 names the failing part" })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.database.isReachable('database'), () => this.signingKeys.isLoaded('keys')]);
  }
}
