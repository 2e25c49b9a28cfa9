import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import type { Pool } from 'pg';
import { AppConfig } from '../config/app-config.js';
import { enableProcessMetrics, registry, watchPool } from './metrics.js';

/**
 * `GET /metrics` in Prometheus' text format on a listener of its own (METRICS_PORT), so that the
 * metrics are never served on the public port and need no token.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsServer.name);
  private server?: Server;
  private unwatchPool?: () => void;

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  /** `http://host:port` once listening; undefined when metrics are off. */
  get url(): string | undefined {
    const address = this.server?.address() as AddressInfo | null | undefined;
    return address ? `http://${address.address}:${address.port}` : undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    const settings = this.config.metrics;
    if (!settings) return;
    enableProcessMetrics();
    // TypeORM's driver keeps its pg pool as `master`; its counts are read at each scrape.
    this.unwatchPool = watchPool((this.dataSource.driver as unknown as { master: Pool }).master);
    this.server = createServer((request, response) => {
      if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: the metrics are at /metrics\n');
        return;
      }
      registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
        (error: unknown) => {
          this.logger.error(`Collecting metrics failed: ${String(error)}`);
          response.writeHead(500, { 'content-type': 'text/plain' }).end('Collecting metrics failed\n');
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject).listen(settings.port, settings.host, () => resolve());
    });
    this.logger.log(`Metrics at ${this.url}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    this.unwatchPool?.();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
