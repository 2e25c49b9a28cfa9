import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** The channel the `revoked_sessions_notify` trigger announces revoked sessions on (payload: "<exp> <pool> <session id>"). */
export const SESSIONS_REVOKED_CHANNEL = 'sessions_revoked';
/** How often expired sessions are forgotten, here and in the table. */
export const SESSION_SWEEP_MS = 10 * 60_000;

/** A session's key: its pool and id (a session id is the pool's, like a `sub`). */
function sessionKey(pool: string, sessionId: string): string {
  return `${pool} ${sessionId}`;
}

/**
 * The sign-in sessions refused before their tokens expire, held in memory on every instance so that a
 * request pays one map lookup. The table is the source: read whole when the notification connection
 * (re)connects, and each new row arrives through its trigger's notification.
 */
@Injectable()
export class RevokedSessions implements OnApplicationShutdown {
  private readonly logger = new Logger(RevokedSessions.name);
  /** Session key (pool and id) -> when its last token expires (epoch ms). */
  private readonly sessions = new Map<string, number>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.sweeper = setInterval(() => void this.sweep(), SESSION_SWEEP_MS);
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }

  get size(): number {
    return this.sessions.size;
  }

  isRevoked(pool: string, sessionId: string | undefined, now = Date.now()): boolean {
    if (sessionId === undefined) return false;
    const expiresAt = this.sessions.get(sessionKey(pool, sessionId));
    return expiresAt !== undefined && expiresAt > now;
  }

  /** Refuses the pool's session on this instance at once and, through the table's trigger, on every other. */
  async revoke(pool: string, sessionId: string, expiresAtSeconds: number): Promise<Date> {
    const expiresAt = new Date(expiresAtSeconds * 1000);
    this.remember(sessionKey(pool, sessionId), expiresAt.getTime());
    // A later expiry wins: a session is refused until its last known token has expired.
    await this.dataSource.query(
      `INSERT INTO revoked_sessions (pool, session_id, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (pool, session_id) DO UPDATE SET expires_at = GREATEST(revoked_sessions.expires_at, EXCLUDED.expires_at)`,
      [pool, sessionId, expiresAt],
    );
    return expiresAt;
  }

  /** A notification's payload, "<exp seconds> <pool> <session id>": the rest after the expiry is the session's key. */
  heard(payload: string): void {
    const space = payload.indexOf(' ');
    const seconds = Number(payload.slice(0, space));
    if (space <= 0 || !Number.isFinite(seconds)) return;
    this.remember(payload.slice(space + 1), seconds * 1000);
  }

  /** Every session still refused, read from the table (at start and after a lost notification connection). */
  async reload(): Promise<void> {
    const rows: { pool: string; session_id: string; expires_at: Date }[] = await this.dataSource.query(
      'SELECT pool, session_id, expires_at FROM revoked_sessions WHERE expires_at > now()',
    );
    for (const row of rows) this.remember(sessionKey(row.pool, row.session_id), new Date(row.expires_at).getTime());
  }

  /** Forgets sessions whose last token has expired, in memory and in the table. */
  async sweep(now = Date.now()): Promise<void> {
    for (const [id, expiresAt] of this.sessions) if (expiresAt <= now) this.sessions.delete(id);
    try {
      await this.dataSource.query('DELETE FROM revoked_sessions WHERE expires_at <= now()');
    } catch (error) {
      this.logger.warn(`Expired sessions not forgotten yet: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private remember(key: string, expiresAtMs: number): void {
    if (expiresAtMs <= Date.now()) return;
    const known = this.sessions.get(key);
    if (known === undefined || known < expiresAtMs) this.sessions.set(key, expiresAtMs);
  }
}
