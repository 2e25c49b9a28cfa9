import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type DataLoader from 'dataloader';
import { DataSource, Repository } from 'typeorm';
import { batchedLoader } from '../database/batched-loader.js';
import { SearchIndexUpkeep } from './search-index.upkeep.js';
import { User } from './user.entity.js';

/** What a first sight writes: the token's sub and the pool's attributes, if they could be read. */
export interface FirstSightRow {
  sub: string;
  username: string | null;
  /** The token's `username` claim. */
  poolUsername: string | null;
  email: string | null;
  emailVerified: boolean;
  firstName: string | null;
  lastName: string | null;
  /** The attributes come from the pool (profile_synced_at is stamped), not from the token alone. */
  synced: boolean;
}

const SELECT_BY_SUBS = 'SELECT * FROM users WHERE sub = ANY($1::varchar[])';
// now() is the statement's transaction time: a batch's users share their created_at, and the id orders them.
const INSERT_FIRST_SIGHTS = `
  INSERT INTO users (sub, username, pool_username, email, email_verified, first_name, last_name, profile_synced_at, last_seen_at)
  SELECT sub, username, pool_username, email, email_verified, first_name, last_name, CASE WHEN synced THEN now() END, now()
  FROM unnest($1::varchar[], $2::varchar[], $8::varchar[], $3::varchar[], $4::boolean[], $5::varchar[], $6::varchar[], $7::boolean[])
    AS t(sub, username, pool_username, email, email_verified, first_name, last_name, synced)
  ON CONFLICT (sub) DO NOTHING
  RETURNING *`;

/** Batches of up to this many keys; two at the database at once leave the pool's other connections free. */
const BATCHING = { concurrency: 2, maxBatchSize: 200 };

/**
 * The reads and writes of a request whose user is not cached: its row by sub, and the insert of a
 * first sight. Concurrent requests share statements (batchedLoader). The statements are written
 * out, not built by TypeORM, whose query builder spent three times the query's own CPU on them.
 */
@Injectable()
export class UserRows {
  private readonly bySub: DataLoader<string, User | null>;
  private readonly firstSights: DataLoader<FirstSightRow, User | null>;

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly searchIndex: SearchIndexUpkeep,
  ) {
    this.bySub = batchedLoader((subs) => this.selectBySubs(subs), BATCHING);
    this.firstSights = batchedLoader((rows) => this.insertFirstSights(rows), BATCHING);
  }

  findBySub(sub: string): Promise<User | null> {
    return this.bySub.load(sub);
  }

  /** The new row, or null if the sub has one already (another request or instance inserted it first). */
  insertFirstSight(row: FirstSightRow): Promise<User | null> {
    return this.firstSights.load(row);
  }

  private async selectBySubs(subs: readonly string[]): Promise<Array<User | null>> {
    const rows = await this.dataSource.query<Array<Record<string, unknown>>>(SELECT_BY_SUBS, [subs]);
    return this.inOrder(subs, rows);
  }

  private async insertFirstSights(batch: readonly FirstSightRow[]): Promise<Array<User | null>> {
    const column = <T>(pick: (row: FirstSightRow) => T) => batch.map(pick);
    const rows = await this.dataSource.query<Array<Record<string, unknown>>>(INSERT_FIRST_SIGHTS, [
      column((row) => row.sub),
      column((row) => row.username),
      column((row) => row.email),
      column((row) => row.emailVerified),
      column((row) => row.firstName),
      column((row) => row.lastName),
      column((row) => row.synced),
      column((row) => row.poolUsername),
    ]);
    if (rows.length > 0) this.searchIndex.rowsInserted();
    // A sub twice in one batch is inserted once; its first caller gets the row, the other null (and reads it).
    const answers = this.inOrder(
      batch.map((row) => row.sub),
      rows,
    );
    const answered = new Set<string>();
    return answers.map((user) => {
      if (!user || answered.has(user.sub)) return null;
      answered.add(user.sub);
      return user;
    });
  }

  /** The rows matched to the keys they answer, null where none did. */
  private inOrder(subs: readonly string[], rows: Array<Record<string, unknown>>): Array<User | null> {
    const bySub = new Map(rows.map((row) => [row.sub as string, row]));
    return subs.map((sub) => {
      const row = bySub.get(sub);
      return row ? this.hydrate(row) : null;
    });
  }

  private hydrate(row: Record<string, unknown>): User {
    const user = this.users.create();
    for (const column of this.users.metadata.columns) {
      column.setEntityValue(user, this.dataSource.driver.prepareHydratedValue(row[column.databaseName], column));
    }
    return user;
  }
}
