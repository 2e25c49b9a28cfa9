import { Controller, Get, UseFilters } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { Public } from '../auth/public.decorator.js';
import { ApiErrors } from '../common/api-docs.js';
import { HealthDto } from './dto/health.dto.js';
import { HealthCheckFailedFilter } from './health-check-failed.filter.js';
import { DatabaseHealthIndicator } from './database.health.js';
import { SigningKeysHealthIndicator } from './signing-keys.health.js';

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
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({ summary: 'Liveness: the process answers (nothing else is checked); no token needed' })
  @ApiOkResponse({ type: HealthDto })
  @ApiErrors(503)
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /** Can serve authenticated requests: PostgreSQL answers and the pool's signing keys are loaded. */
  @Get('ready')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({
    summary: "Readiness: PostgreSQL answers and the pool's signing keys are loaded",
    description: 'A 503 (code not_ready) names the failing parts in its message and gives every part under `checks`.',
  })
  @ApiOkResponse({ type: HealthDto })
  @ApiErrors(503)
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.database.isReachable('database'), () => this.signingKeys.isLoaded('keys')]);
  }
}
