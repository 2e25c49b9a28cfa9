import { Controller, Get, ServiceUnavailableException, UseFilters } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { Public } from '../auth/public.decorator.js';
import { ApiErrors } from '../common/api-docs.js';
import { Draining } from '../common/draining.js';
import { HealthDto } from './dto/health.dto.js';
import { HealthCheckFailedFilter } from './health-check-failed.filter.js';
import { DatabaseHealthIndicator } from './database.health.js';
import { NotificationsHealthIndicator } from './notifications.health.js';
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
    private readonly notifications: NotificationsHealthIndicator,
    private readonly draining: Draining,
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

  /**
   * Can serve authenticated requests: PostgreSQL answers, every pool's signing keys are loaded, and the
   * instance's own notifications come back (changes made elsewhere reach it).
   */
  @Get('ready')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({
    summary: "Readiness: PostgreSQL answers, every pool's signing keys are loaded, notifications arrive",
    description:
      'A 503 (code not_ready) names the failing parts in its message and gives every part under `checks`; ' +
      '`notifications` is down when the instance does not receive its own PostgreSQL notifications ' +
      '(a transaction-mode pooler in the way: set DATABASE_LISTEN_URL). While the server drains on SIGTERM: 503 shutting_down.',
  })
  @ApiOkResponse({ type: HealthDto })
  @ApiErrors(503)
  ready(): Promise<HealthCheckResult> {
    if (this.draining.active) throw new ServiceUnavailableException({ status: 'shutting_down', details: {} });
    return this.health.check([
      () => this.database.isReachable('database'),
      () => this.signingKeys.isLoaded('keys'),
      () => this.notifications.areArriving('notifications'),
    ]);
  }
}
