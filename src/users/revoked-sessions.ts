import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PerPool, splitPoolKey } from '../common/per-pool.js';

/** The channel the `revoked_sessions_notify` trigger announces revoked sessions on (payload: "<exp> <pool> <session id>"). */
export const SESSIONS_REVOKED_CHANNEL = 'sessions_revoked';
/** How often expired sessions are forgotten, here and in the table. */
export const SESSION_SWEEP_MS = 10 * 60_000;

/**
 * The sign-in sessions refused before their tokens expire, held in memory on every instance so that a
 * request pays one map lookup. The table is the source: read whole when the notification connection
 * (re)connects, and each new row arrives through its trigger's notification.
 */
@Injectable()
export class RevokedSessions implements OnApplicationShutdown {
  private readonly logger = new Logger(RevokedSessions.name);
  /** By pool (a session id is the pool's, like a `sub`), session id -> when its last token expires (epoch ms). */
  private readonly sessions = new PerPool(() => new Map<string, number>());
  private readonly sweeper: NodeJS.Timeout;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.sweeper = setInterval(() => void this.sweep(), SESSION_SWEEP_MS);
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }

  get size(): number {
    let size = 0;
    for (const sessions of this.sessions.values()) size += sessions.size;
    return size;
  }

  isRevoked(pool: string, sessionId: string | undefined, now = Date.now()): boolean {
    if (sessionId === undefined) return false;
    const expiresAt = this.sessions.of(pool)?.get(sessionId);
    return expiresAt !== undefined && expiresAt > now;
  }

  /** Refuses the pool's session on this instance at once and, through the table's trigger, on every other. */
  async revoke(pool: string, sessionId: string, expiresAtSeconds: number): Promise<Date> {
    const expiresAt = new Date(expiresAtSeconds * 1000);
    this.remember(pool, sessionId, expiresAt.getTime());
    // A later expiry wins: a session is refused until its last known token has expired.
    await this.dataSource.query(
      `INSERT INTO revoked_sessions (pool, session_id, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (pool, session_id) DO UPDATE SET expires_at = GREATEST(revoked_sessions.expires_at, EXCLUDED.expires_at)`,
      [pool, sessionId, expiresAt],
    );
    return expiresAt;
  }

  /** A notification's payload, "<exp seconds> <pool> <session id>" (a session id may hold spaces: it is the rest). */
  heard(payload: string): void {
    const space = payload.indexOf(' ');
    if (space <= 0) return;
    const seconds = Number(payload.slice(0, space));
    const session = splitPoolKey(payload.slice(space + 1));
    if (!Number.isFinite(seconds) || !session) return;
    this.remember(session.pool, session.id, seconds * 1000);
  }

  /** Every session still refused, read from the table (at start and after a lost notification connection). */
  async reload(): Promise<void> {
    const rows: { pool: string; session_id: string; expires_at: Date }[] = await this.dataSource.query(
      'SELECT pool, session_id, expires_at FROM revoked_sessions WHERE expires_at > now()',
    );
    for (const row of rows) this.remember(row.pool, row.session_id, new Date(row.expires_at).getTime());
  }

  /** Forgets sessions whose last token has expired, in memory and in the table. */
  async sweep(now = Date.now()): Promise<void> {
    for (const sessions of this.sessions.values()) for (const [id, expiresAt] of sessions) if (expiresAt <= now) sessions.delete(id);
    try {
      await this.dataSource.query('DELETE FROM revoked_sessions WHERE expires_at <= now()');
    } catch (error) {
      this.logger.warn(`Expired sessions not forgotten yet: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private remember(pool: string, sessionId: string, expiresAtMs: number): void {
    if (expiresAtMs <= Date.now()) return;
    const sessions = this.sessions.for(pool);
    const known = sessions.get(sessionId);
    if (known === undefined || known < expiresAtMs) sessions.set(sessionId, expiresAtMs);
  }
}
