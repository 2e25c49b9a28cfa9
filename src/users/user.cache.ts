import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { AppConfig } from '../config/app-config.js';
import type { User } from './user.entity.js';

const MAX_ROWS = 10_000;

/**
 * A person's key in the cache: their pool and sub, as the `users_notify_change` trigger names a changed
 * row ("<pool> <sub>"; a pool name holds no space, so two people never share a key).
 */
export function personKey(pool: string, sub: string): string {
  return `${pool} ${sub}`;
}

interface Entry {
  user: User;
  /** When the read that produced this copy began: the copy is at least that fresh. */
  readAt: number;
}

/** A load's claim to put its copy into the cache; refused if the row changed after the load began. */
export interface CacheTicket {
  /** The person's key (personKey). */
  key: string;
  sequence: number;
  readAt: number;
}

/**
 * Each instance's copies of user rows, by person (personKey: pool and sub). Copies live long because every change is announced by
 * PostgreSQL (see UserChangesListener) and drops them at once on every instance; while that
 * connection is down, copies older than a short fallback lifetime are not used.
 *
 * A load that began before a change never puts its copy back: every invalidation is stamped with
 * a sequence number, and a copy is accepted only if no invalidation of its row (nor a flush)
 * happened after its load began.
 */
@Injectable()
export class UserCache {
  private readonly rows: LRUCache<string, Entry>;
  /** Sequence number of each row's latest invalidation, kept longer than any load can take. */
  private readonly changedAt = new LRUCache<string, number>({ max: 100_000, ttl: 10 * 60_000 });
  private sequence = 0;
  private flushedAt = 0;
  private listening = false;
  private readonly fallbackMs: number;
  private readonly enabled: boolean;

  constructor(config: AppConfig) {
    this.rows = new LRUCache({ max: MAX_ROWS, ttl: Math.max(config.userCache.ttlMs, 1) });
    this.fallbackMs = config.userCache.fallbackMs;
    this.enabled = config.userCache.ttlMs > 0;
  }

  get(key: string): User | undefined {
    const entry = this.rows.get(key);
    if (!entry) return undefined;
    if (!this.listening && Date.now() - entry.readAt >= this.fallbackMs) {
      this.rows.delete(key);
      return undefined;
    }
    return entry.user;
  }

  /** Taken before reading a row from the database. */
  ticket(key: string): CacheTicket {
    return { key, sequence: this.sequence, readAt: Date.now() };
  }

  /** Keeps the copy unless the row changed (or the cache was flushed) since the ticket was taken. */
  put(ticket: CacheTicket, user: User): void {
    if (!this.enabled || this.isStale(ticket)) return;
    this.rows.set(ticket.key, { user, readAt: ticket.readAt });
  }

  isStale(ticket: CacheTicket): boolean {
    return ticket.sequence < this.flushedAt || ticket.sequence < (this.changedAt.get(ticket.key) ?? 0);
  }

  invalidate(key: string): void {
    this.changedAt.set(key, ++this.sequence);
    this.rows.delete(key);
  }

  flush(): void {
    this.flushedAt = ++this.sequence;
    this.rows.clear();
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
