import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { PerPool } from '../common/per-pool.js';
import { AppConfig } from '../config/app-config.js';
import type { User } from './user.entity.js';

/** Copies kept per pool; past it the least recently used are dropped. */
const MAX_ROWS = 10_000;
/** Invalidations remembered per pool, kept longer than any load can take. */
const MAX_CHANGES = 100_000;
const CHANGES_KEPT_MS = 10 * 60_000;

/**
 * A person's key where one string must name them: their pool and sub, as the `users_notify_change`
 * trigger names a changed row ("<pool> <sub>"; a pool name holds no space, so two people never share a key).
 */
export function personKey(pool: string, sub: string): string {
  return `${pool} ${sub}`;
}

interface Entry {
  user: User;
  /** When the read that produced this copy began: the copy is at least that fresh. */
  readAt: number;
}

/** One pool's copies and the sequence number of each row's latest invalidation, by `sub`. */
interface PoolRows {
  rows: LRUCache<string, Entry>;
  changedAt: LRUCache<string, number>;
}

/** A load's claim to put its copy into the cache; refused if the row changed after the load began. */
export interface CacheTicket {
  pool: string;
  sub: string;
  sequence: number;
  readAt: number;
}

/**
 * Each instance's copies of user rows, by person (pool, then sub). Copies live long because every change is announced by
 * PostgreSQL (see UserChangesListener) and drops them at once on every instance; while that
 * connection is down, copies older than a short fallback lifetime are not used.
 *
 * A load that began before a change never puts its copy back: every invalidation is stamped with
 * a sequence number, and a copy is accepted only if no invalidation of its row (nor a flush)
 * happened after its load began.
 */
@Injectable()
export class UserCache {
  private readonly pools: PerPool<PoolRows>;
  private sequence = 0;
  private flushedAt = 0;
  private listening = false;
  private readonly fallbackMs: number;
  private readonly enabled: boolean;

  constructor(config: AppConfig) {
    const ttl = Math.max(config.userCache.ttlMs, 1);
    this.pools = new PerPool(() => ({
      rows: new LRUCache({ max: MAX_ROWS, ttl }),
      changedAt: new LRUCache({ max: MAX_CHANGES, ttl: CHANGES_KEPT_MS }),
    }));
    this.fallbackMs = config.userCache.fallbackMs;
    this.enabled = config.userCache.ttlMs > 0;
  }

  get(pool: string, sub: string): User | undefined {
    const rows = this.pools.of(pool)?.rows;
    const entry = rows?.get(sub);
    if (!rows || !entry) return undefined;
    if (!this.listening && Date.now() - entry.readAt >= this.fallbackMs) {
      rows.delete(sub);
      return undefined;
    }
    return entry.user;
  }

  /** Taken before reading a row from the database. */
  ticket(pool: string, sub: string): CacheTicket {
    return { pool, sub, sequence: this.sequence, readAt: Date.now() };
  }

  /** Keeps the copy unless the row changed (or the cache was flushed) since the ticket was taken. */
  put(ticket: CacheTicket, user: User): void {
    if (!this.enabled || this.isStale(ticket)) return;
    this.pools.for(ticket.pool).rows.set(ticket.sub, { user, readAt: ticket.readAt });
  }

  isStale(ticket: CacheTicket): boolean {
    return ticket.sequence < this.flushedAt || ticket.sequence < (this.pools.of(ticket.pool)?.changedAt.get(ticket.sub) ?? 0);
  }

  invalidate(pool: string, sub: string): void {
    const { rows, changedAt } = this.pools.for(pool);
    changedAt.set(sub, ++this.sequence);
    rows.delete(sub);
  }

  flush(): void {
    this.flushedAt = ++this.sequence;
    for (const { rows } of this.pools.values()) rows.clear();
  }

  /** Whether changes are being announced; on (re)connection everything cached before is dropped. */
  setListening(listening: boolean): void {
    if (listening) this.flush();
    this.listening = listening;
  }

  get isListening(): boolean {
    return this.listening;
  }
}
