import { randomBytes } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { splitPoolKey } from '../common/per-pool.js';
import { AppConfig } from '../config/app-config.js';
import { DB_CONNECT_TIMEOUT_MS } from '../database/data-source-options.js';
import { countMissedNotification } from '../metrics/metrics.js';
import { RevokedSessions, SESSIONS_REVOKED_CHANNEL } from './revoked-sessions.js';
import { UserCache } from './user.cache.js';

/** The channel the `users_notify_change` trigger announces changed rows on (payload: the row's key, "<pool> <sub>", see personKey). */
export const USERS_CHANGED_CHANNEL = 'users_changed';
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5000;
/** A silent network partition sends no error: a periodic round trip finds it within this time plus its timeout. */
const HEARTBEAT_MS = 5000;
const HEARTBEAT_TIMEOUT_MS = 2000;
/** How often the instance checks that its own notification comes back, and sooner while one has not. */
export const PROBE_INTERVAL_MS = 30_000;
export const PROBE_RETRY_MS = 5000;
/** A notification crosses PostgreSQL in milliseconds; one still missing after this never came. */
export const PROBE_TIMEOUT_MS = 3000;

/**
 * Whether notifications reach this instance: `unconfirmed` until its first own notification has
 * come back, `arriving` while they do, `missing` when one sent through DATABASE_URL did not arrive.
 */
export type NotificationState = 'unconfirmed' | 'arriving' | 'missing';

export const MISSING_NOTIFICATIONS_MESSAGE =
  'notifications sent through DATABASE_URL do not reach the LISTEN connection, so changes made on other instances are ' +
  'noticed only after USER_CACHE_FALLBACK_SECONDS; likely a transaction-mode pooler (PgBouncer, RDS Proxy) in the way: ' +
  'set DATABASE_LISTEN_URL to PostgreSQL itself (or to a session-mode pool)';

interface Probe {
  payload: string;
  arrived: () => void;
}

/**
 * One dedicated PostgreSQL connection per instance that LISTENs for changed user rows and drops
 * them from this instance's cache: a change made anywhere (another instance, a migration, psql)
 * is honoured here within milliseconds of its commit. While the connection is down the cache falls
 * back to a short lifetime, and a reconnection drops every copy (changes may have been missed).
 *
 * A connection that listens is not proof that notifications arrive: behind a transaction-mode pooler
 * LISTEN succeeds on a borrowed server connection and nothing ever comes. So the instance sends
 * itself a notification on a channel of its own through the application's pool (DATABASE_URL) at
 * start and every PROBE_INTERVAL_MS, and trusts its long-lived copies only while that comes back.
 */
@Injectable()
export class UserChangesListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(UserChangesListener.name);
  /** Unique per instance, so that only this instance hears its probes. */
  private readonly probeChannel = `notify_probe_${randomBytes(8).toString('hex')}`;
  private client: pg.Client | null = null;
  private connected = false;
  private stopped = false;
  private retryMs = RECONNECT_MIN_MS;
  private retryTimer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private probeTimer: NodeJS.Timeout | undefined;
  private probe: Probe | undefined;
  private probes = 0;
  private notifications: NotificationState = 'unconfirmed';

  constructor(
    private readonly config: AppConfig,
    private readonly cache: UserCache,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly revokedSessions: RevokedSessions,
  ) {}

  get state(): NotificationState {
    return this.notifications;
  }

  /** Waits for the first connection and its first probe, so a started server knows whether notifications arrive. */
  async onApplicationBootstrap(): Promise<void> {
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.probeTimer);
    clearInterval(this.heartbeat);
    await this.client?.end().catch(() => undefined);
  }

  /** The listening connection (DATABASE_LISTEN_URL, else DATABASE_URL); a unit spec hands in its own. */
  protected createClient(): pg.Client {
    return new pg.Client({
      connectionString: this.config.databaseListenUrl,
      connectionTimeoutMillis: DB_CONNECT_TIMEOUT_MS,
      keepAlive: true,
      query_timeout: HEARTBEAT_TIMEOUT_MS,
      application_name: 'users-changes-listener',
    });
  }

  private async connect(): Promise<void> {
    const client = this.createClient();
    this.client = client;
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      this.connected = false;
      // Unknown until checked on the next connection; a pooler in the way stays reported meanwhile.
      if (this.notifications === 'arriving') this.notifications = 'unconfirmed';
      clearInterval(this.heartbeat);
      clearTimeout(this.probeTimer);
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
      if (message.channel === this.probeChannel) {
        const probe = this.probe;
        if (probe && message.payload === probe.payload) probe.arrived();
      } else if (message.channel === SESSIONS_REVOKED_CHANNEL) {
        if (message.payload) this.revokedSessions.heard(message.payload);
      } else if (message.payload) {
        const person = splitPoolKey(message.payload);
        if (person) this.cache.invalidate(person.pool, person.id);
      }
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${USERS_CHANGED_CHANNEL}`);
      await client.query(`LISTEN ${this.probeChannel}`);
      await client.query(`LISTEN ${SESSIONS_REVOKED_CHANNEL}`);
      // Listening first, then reading: a session revoked in between is heard or read, never missed.
      await this.revokedSessions.reload();
      if (lost) return;
      this.connected = true;
      this.retryMs = RECONNECT_MIN_MS;
      this.heartbeat = setInterval(() => void client.query('SELECT 1').catch((error: Error) => onLost(error)), HEARTBEAT_MS);
      this.heartbeat.unref();
      await this.checkArrival();
    } catch (error) {
      onLost(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /**
   * Sends a notification to this instance's own channel through the application's pool and waits for
   * it on the listening connection. Only once it arrives are cached rows kept for USER_CACHE_SECONDS.
   */
  private async checkArrival(): Promise<void> {
    clearTimeout(this.probeTimer);
    const client = this.client;
    if (!this.connected || this.stopped) return;
    const payload = String(++this.probes);
    let timeout: NodeJS.Timeout | undefined;
    const arrival = new Promise<boolean>((resolve) => {
      this.probe = { payload, arrived: () => resolve(true) };
      timeout = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS);
    });
    let arrived: boolean;
    try {
      await this.dataSource.query('SELECT pg_notify($1, $2)', [this.probeChannel, payload]);
      arrived = await arrival;
    } catch (error) {
      // Not sent at all: the database is unreachable, which readiness reports on its own; try again soon.
      this.logger.debug(`Notification check not sent: ${error instanceof Error ? error.message : String(error)}`);
      this.scheduleCheck(PROBE_RETRY_MS);
      return;
    } finally {
      clearTimeout(timeout);
      if (this.probe?.payload === payload) this.probe = undefined;
    }
    // The connection changed while waiting: its own check decides.
    if (client !== this.client || !this.connected) return;
    if (arrived) {
      if (this.notifications === 'missing') this.logger.log('Own notifications arrive again; user rows are cached for USER_CACHE_SECONDS');
      if (!this.cache.isListening) this.cache.setListening(true);
      this.notifications = 'arriving';
      this.scheduleCheck(PROBE_INTERVAL_MS);
    } else {
      countMissedNotification();
      if (this.notifications !== 'missing') this.logger.error(`Readiness down: ${MISSING_NOTIFICATIONS_MESSAGE}`);
      this.notifications = 'missing';
      this.cache.setListening(false);
      this.scheduleCheck(PROBE_RETRY_MS);
    }
  }

  private scheduleCheck(delayMs: number): void {
    clearTimeout(this.probeTimer);
    if (this.stopped) return;
    this.probeTimer = setTimeout(() => void this.checkArrival(), delayMs);
    this.probeTimer.unref();
  }

  private scheduleReconnect(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, RECONNECT_MAX_MS);
  }
}
