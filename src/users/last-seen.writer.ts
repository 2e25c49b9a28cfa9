import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';
import type { User } from './user.entity.js';

/** lastSeenAt is written at most this often per user, so a warm request never writes. */
export const LAST_SEEN_INTERVAL_MS = 10 * 60_000;
/** Stamps are gathered this long and written in one statement. */
const FLUSH_AFTER_MS = 1000;

/**
 * Keeps users' lastSeenAt within LAST_SEEN_INTERVAL_MS of their last request, off the request's path:
 * the stamps due are written together once a second, so that a thousand users whose interval ends
 * at once cost one UPDATE instead of a thousand queued ones (each holding its buffers meanwhile).
 */
@Injectable()
export class LastSeenWriter implements BeforeApplicationShutdown {
  private readonly logger = new Logger(LastSeenWriter.name);
  /** Row ids whose lastSeenAt this instance wrote (or found fresh) within the interval. */
  private readonly seenRecently = new LRUCache<string, true>({ max: 100_000, ttl: LAST_SEEN_INTERVAL_MS });
  /** Ids of the rows whose stamps are due. */
  private pending = new Set<string>();
  private timer?: NodeJS.Timeout;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Called on every request of a person; writes nothing unless the stored stamp is older than the interval. */
  seen(user: User): void {
    if (this.seenRecently.has(user.id)) return;
    this.seenRecently.set(user.id, true);
    if (user.lastSeenAt && Date.now() - user.lastSeenAt.getTime() < LAST_SEEN_INTERVAL_MS) return;
    this.pending.add(user.id);
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_AFTER_MS).unref();
  }

  // Before the database pool closes; a request still in flight may add a stamp that is then lost, which costs nothing.
  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  private async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    if (batch.size === 0) return;
    this.pending = new Set();
    try {
      // No notification follows (the trigger ignores lastSeenAt); the condition keeps it to once per interval across instances.
      await this.dataSource.query(
        `UPDATE users SET last_seen_at = now() WHERE id = ANY($1::uuid[]) AND erased_at IS NULL
           AND (last_seen_at IS NULL OR last_seen_at < now() - make_interval(secs => $2))`,
        [[...batch], LAST_SEEN_INTERVAL_MS / 1000],
      );
    } catch (error) {
      for (const id of batch) this.seenRecently.delete(id);
      this.logger.debug(`Could not record that ${batch.size} users were seen: ${String(error)}`);
    }
  }
}
