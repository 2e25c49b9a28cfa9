import { Injectable, Logger } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Below the pool's connect timeout, so that a probe answers even while PostgreSQL hangs. */
export const DATABASE_PING_TIMEOUT_MS = 2000;

/**
 * `SELECT 1` on the application's own pool. The cause of a failure is logged, not published: the
 * health routes are public, and driver messages name hosts and ports.
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
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${DATABASE_PING_TIMEOUT_MS}ms`)), DATABASE_PING_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.dataSource.query('SELECT 1'), timeout]);
      return indicator.up();
    } catch (error) {
      this.logger.warn(`Readiness: PostgreSQL is unreachable (${error instanceof Error ? error.message : String(error)})`);
      return indicator.down({ message: 'PostgreSQL is unreachable' });
    } finally {
      clearTimeout(timer);
    }
  }
}
