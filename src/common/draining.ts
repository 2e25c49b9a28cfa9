import { Injectable } from '@nestjs/common';

/**
 * Set on SIGTERM, before the server stops accepting connections: readiness answers 503 shutting_down
 * while requests are still served, so that a load balancer health-checking it takes the instance out
 * first (SHUTDOWN_DRAIN_SECONDS), and no request reaches a closing server.
 */
@Injectable()
export class Draining {
  active = false;
}
