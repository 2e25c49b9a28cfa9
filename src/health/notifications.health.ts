import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { MISSING_NOTIFICATIONS_MESSAGE, UserChangesListener } from '../users/user-changes.listener.js';

/**
 * Down while the instance's own notifications do not come back (a transaction-mode pooler between it
 * and PostgreSQL's LISTEN): a load balancer keeps such an instance out, and a rolling deployment with
 * that setting never turns healthy. Up before the first check has been sent (database unreachable),
 * which the database check reports.
 */
@Injectable()
export class NotificationsHealthIndicator {
  constructor(
    private readonly listener: UserChangesListener,
    private readonly health: HealthIndicatorService,
  ) {}

  areArriving<const Key extends string>(key: Key) {
    const indicator = this.health.check(key);
    const state = this.listener.state;
    return state === 'missing' ? indicator.down({ message: MISSING_NOTIFICATIONS_MESSAGE }) : indicator.up({ state });
  }
}
