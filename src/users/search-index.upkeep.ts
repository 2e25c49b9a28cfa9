import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** New rows' search entries are merged this long after the first of them, together. */
const MERGE_AFTER_MS = 1000;

/**
 * Merges the admin search index's pending list (users_search_trgm, fastupdate) in the background.
 * Left to PostgreSQL, the insert that overflows the list merges it, and the first sights batched
 * into that statement wait tens of milliseconds for entries other users added. Merged here, a
 * second after new rows, on a pooled connection no request is waiting for, inserts only append;
 * inserts that find a merge under way do not wait for it. The list's limit (a migration) stays the
 * backstop: if this cannot run (a database role that does not own the index), inserts merge as before.
 */
@Injectable()
export class SearchIndexUpkeep implements BeforeApplicationShutdown {
  private readonly logger = new Logger(SearchIndexUpkeep.name);
  private timer?: NodeJS.Timeout;
  private refused = false;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Called after rows were inserted; at most one merge is scheduled or running at a time. */
  rowsInserted(): void {
    if (this.refused) return;
    this.timer ??= setTimeout(() => void this.merge(), MERGE_AFTER_MS).unref();
  }

  beforeApplicationShutdown(): void {
    clearTimeout(this.timer);
    this.refused = true;
  }

  private async merge(): Promise<void> {
    try {
      await this.dataSource.query(`SELECT gin_clean_pending_list('users_search_trgm'::regclass)`);
    } catch (error) {
      // 42501: not the index's owner; nothing changes until the role does, so stop asking.
      if ((error as { code?: string }).code === '42501') {
        this.refused = true;
        this.logger.warn(`The search index's new entries are merged by inserts: ${String(error)}`);
      } else {
        this.logger.debug(`Could not merge the search index's new entries: ${String(error)}`);
      }
    } finally {
      this.timer = undefined;
    }
  }
}
