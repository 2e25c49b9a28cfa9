import { EventEmitter } from 'node:events';
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type pg from 'pg';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../config/load-config.js';
import { registry } from '../metrics/metrics.js';
import { PROBE_INTERVAL_MS, PROBE_RETRY_MS, PROBE_TIMEOUT_MS, UserChangesListener } from './user-changes.listener.js';
import type { RevokedSessions } from './revoked-sessions.js';
import { UserCache } from './user.cache.js';
import type { User } from './user.entity.js';

const config = loadConfig({
  DATABASE_URL: 'postgres://app:secret@pgbouncer.internal:6432/app',
  DATABASE_LISTEN_URL: 'postgres://app:secret@db-primary.internal:5432/app',
  COGNITO_REGION: 'us-west-2',
  COGNITO_USER_POOL_ID: 'us-west-2_AbCdEf123',
  COGNITO_CLIENT_IDS: 'client-a',
  USER_CACHE_FALLBACK_SECONDS: '2',
});

/**
 * A PostgreSQL in miniature: one listening connection, and the application's pool whose
 * `pg_notify` reaches it only while `delivering` (false: a transaction-mode pooler in the way),
 * and fails outright while `reachable` is false.
 */
class Database {
  delivering = true;
  reachable = true;
  readonly listening = new Set<string>();
  readonly client = Object.assign(new EventEmitter(), {
    connect: () => Promise.resolve(),
    end: () => Promise.resolve(),
    query: (sql: string) => {
      const channel = /^LISTEN (\w+)$/.exec(sql)?.[1];
      if (channel) this.listening.add(channel);
      return Promise.resolve({ rows: [] });
    },
  });
  readonly dataSource = {
    query: (_sql: string, [channel, payload]: [string, string]) => {
      if (!this.reachable) return Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
      if (this.delivering && this.listening.has(channel))
        setTimeout(() => this.client.emit('notification', { channel, payload, processId: 1 }), 1);
      return Promise.resolve([{ pg_notify: '' }]);
    },
  };
}

/** Revoked sessions have their own spec; here they only need to be read on every connection. */
const sessions = { reload: () => Promise.resolve(), heard: () => undefined } as unknown as RevokedSessions;

async function missedSoFar(): Promise<number> {
  const metric = await registry.getSingleMetric('db_notifications_missed_total')?.get();
  return metric?.values[0]?.value ?? 0;
}

describe(UserChangesListener.name, () => {
  let database: Database;
  let cache: UserCache;
  let sut: UserChangesListener;
  let errors: ReturnType<typeof jest.spyOn>;

  beforeEach(() => {
    jest.useFakeTimers();
    errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
    database = new Database();
    cache = new UserCache(config);
    const client = database.client as unknown as pg.Client;
    sut = new (class extends UserChangesListener {
      protected override createClient(): pg.Client {
        return client;
      }
    })(config, cache, database.dataSource as unknown as DataSource, sessions);
  });
  afterEach(async () => {
    await sut.onApplicationShutdown();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  /** Starts the listener as the application does, letting the first check's time pass. */
  async function start(): Promise<void> {
    const started = sut.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(PROBE_TIMEOUT_MS);
    await started;
  }

  it('listens on DATABASE_LISTEN_URL, not on DATABASE_URL', () => {
    const client = (
      new UserChangesListener(config, cache, database.dataSource as unknown as DataSource, sessions) as unknown as {
        createClient(): pg.Client;
      }
    ).createClient();
    expect({ host: client.host, port: client.port }).toEqual({ host: 'db-primary.internal', port: 5432 });
  });

  it('trusts its cached rows once its own notification, sent through the pool, has come back', async () => {
    const before = await missedSoFar();
    await start();
    expect(sut.state).toBe('arriving');
    expect(cache.isListening).toBe(true);
    expect(await missedSoFar()).toBe(before);
    expect([...database.listening]).toEqual(['users_changed', expect.stringMatching(/^notify_probe_[0-9a-f]{16}$/), 'sessions_revoked']);
  });

  it('notices at start that notifications do not arrive: not ready, the fallback lifetime, one count per check', async () => {
    database.delivering = false;
    const before = await missedSoFar();
    await start();
    expect(sut.state).toBe('missing');
    expect(cache.isListening).toBe(false);
    expect(await missedSoFar()).toBe(before + 1);
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('set DATABASE_LISTEN_URL'));

    // Cached rows serve only USER_CACHE_FALLBACK_SECONDS (2 s) meanwhile.
    cache.put(cache.ticket('default', 'a'), { sub: 'a' } as User);
    await jest.advanceTimersByTimeAsync(1999);
    expect(cache.get('default', 'a')).toBeDefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(cache.get('default', 'a')).toBeUndefined();

    // Checked again every PROBE_RETRY_MS while missing; logged once, counted each time.
    await jest.advanceTimersByTimeAsync(PROBE_RETRY_MS - 2000 + PROBE_TIMEOUT_MS);
    expect(await missedSoFar()).toBe(before + 2);
    expect(errors).toHaveBeenCalledTimes(1);
  });

  it('recovers at the next check once notifications arrive again, dropping what it cached meanwhile', async () => {
    database.delivering = false;
    await start();
    cache.put(cache.ticket('default', 'a'), { sub: 'a' } as User);
    database.delivering = true;
    await jest.advanceTimersByTimeAsync(PROBE_RETRY_MS - 1);
    expect(sut.state).toBe('missing');
    await jest.advanceTimersByTimeAsync(1 + 10);
    expect(sut.state).toBe('arriving');
    expect(cache.isListening).toBe(true);
    expect(cache.get('default', 'a')).toBeUndefined();
  });

  it('checks again every PROBE_INTERVAL_MS and notices notifications that stop arriving', async () => {
    await start();
    database.delivering = false;
    await jest.advanceTimersByTimeAsync(PROBE_INTERVAL_MS - PROBE_TIMEOUT_MS - 1);
    expect(sut.state).toBe('arriving');
    const before = await missedSoFar();
    await jest.advanceTimersByTimeAsync(1 + PROBE_TIMEOUT_MS + 10);
    expect(sut.state).toBe('missing');
    expect(cache.isListening).toBe(false);
    expect(await missedSoFar()).toBe(before + 1);
  });

  it('counts nothing while the database is unreachable (readiness reports the database), and checks again soon', async () => {
    database.reachable = false;
    const before = await missedSoFar();
    await start();
    expect(sut.state).toBe('unconfirmed');
    expect(cache.isListening).toBe(false);
    expect(await missedSoFar()).toBe(before);
    database.reachable = true;
    await jest.advanceTimersByTimeAsync(PROBE_RETRY_MS + 10);
    expect(sut.state).toBe('arriving');
    expect(cache.isListening).toBe(true);
  });

  it('is unconfirmed while its connection is lost, and arriving again once the new one has heard itself', async () => {
    await start();
    database.client.emit('error', new Error('Connection terminated unexpectedly'));
    expect(sut.state).toBe('unconfirmed');
    expect(cache.isListening).toBe(false);
    await jest.advanceTimersByTimeAsync(250 + 10);
    expect(sut.state).toBe('arriving');
    expect(cache.isListening).toBe(true);
  });
});
