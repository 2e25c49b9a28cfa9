import { Injectable, Logger } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Below the pool's connect timeout, so that a probe answers even while PostgreSQL hangs. */
const DATABASE_PING_TIMEOUT_MS = 2000;

/**
 * `SELECT 1` on the application's own pool, with terminus' own timeout. The cause of a failure is
 * logged, not published: the health routes are public, and driver messages name hosts and ports.
 */
@Injectable()
export class DatabaseHealthIndicator {
  private readonly logger = new Logger('Health');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly health: HealthIndicatorService,
  ) {}

  async isReachable<const Key extends string>(key: Key) {
    const indicator = this.health.check(key);
    const ping = await indicator
      .attempt(async () => {
        await this.dataSource.query('SELECT 1');
      })
      .withTimeout(DATABASE_PING_TIMEOUT_MS);
    const { status, message } = ping[key];
    if (status === 'up') return indicator.up();
    this.logger.warn(`Readiness: PostgreSQL is unreachable (${String(message)})`);
    return indicator.down({ message: 'PostgreSQL is unreachable' });
  }
}
