import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { AppConfig } from '../config/app-config.js';
import { DB_CONNECT_TIMEOUT_MS } from '../database/data-source-options.js';
import { UserCache } from './user.cache.js';

/** The channel the `users_notify_change` trigger announces changed rows on (payload: the row's sub). */
export const USERS_CHANGED_CHANNEL = 'users_changed';
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5000;
/** A silent network partition sends no error: a periodic round trip finds it within this time plus its timeout. */
const HEARTBEAT_MS = 5000;
const HEARTBEAT_TIMEOUT_MS = 2000;

/**
 * One dedicated PostgreSQL connection per instance that LISTENs for changed user rows and drops
 * them from this instance's cache: a change made anywhere (another instance, a migration, psql)
 * is honoured here within milliseconds of its commit. While the connection is down the cache falls
 * back to a short lifetime, and a reconnection drops every copy (changes may have been missed).
 */
@Injectable()
export class UserChangesListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(UserChangesListener.name);
  private client: pg.Client | null = null;
  private stopped = false;
  private retryMs = RECONNECT_MIN_MS;
  private retryTimer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly cache: UserCache,
  ) {}

  /** Waits for the first connection, so a started server is already listening; failing that, retries in the background. */
  async onApplicationBootstrap(): Promise<void> {
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.heartbeat);
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.config.databaseUrl,
      connectionTimeoutMillis: DB_CONNECT_TIMEOUT_MS,
      keepAlive: true,
      query_timeout: HEARTBEAT_TIMEOUT_MS,
      application_name: 'users-changes-listener',
    });
    this.client = client;
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      clearInterval(this.heartbeat);
      this.cache.setListening(false);
      client.removeAllListeners('notification');
      client.end().catch(() => undefined);
      if (!this.stopped) {
        this.logger.warn(`User change notifications lost${error ? `: ${error.message}` : ''}; reconnecting`);
        this.scheduleReconnect();
      }
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (message) => {
      if (message.payload) this.cache.invalidate(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${USERS_CHANGED_CHANNEL}`);
      if (lost) return;
      this.retryMs = RECONNECT_MIN_MS;
      this.cache.setListening(true);
      this.heartbeat = setInterval(() => void client.query('SELECT 1').catch((error: Error) => onLost(error)), HEARTBEAT_MS);
      this.heartbeat.unref();
    } catch (error) {
      onLost(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private scheduleReconnect(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, RECONNECT_MAX_MS);
  }
}
