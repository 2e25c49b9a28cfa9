import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type DataLoader from 'dataloader';
import { DataSource, Repository } from 'typeorm';
import { batchedLoader } from '../database/batched-loader.js';
import { SearchIndexUpkeep } from './search-index.upkeep.js';
import { personKey } from './user.cache.js';
import { User } from './user.entity.js';

/** What a first sight writes: the token's pool and sub, and the pool's attributes, if they could be read. */
export interface FirstSightRow {
  pool: string;
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

/** A person: their pool and sub. */
export interface PersonId {
  pool: string;
  sub: string;
}

const SELECT_BY_PEOPLE = `
  SELECT users.* FROM unnest($1::varchar[], $2::varchar[]) AS wanted(pool, sub)
  JOIN users ON users.pool = wanted.pool AND users.sub = wanted.sub`;
// now() is the statement's transaction time: a batch's users share their created_at, and the id orders them.
const INSERT_FIRST_SIGHTS = `
  INSERT INTO users (pool, sub, username, pool_username, email, email_verified, first_name, last_name, profile_synced_at, last_seen_at)
  SELECT pool, sub, username, pool_username, email, email_verified, first_name, last_name, CASE WHEN synced THEN now() END, now()
  FROM unnest($9::varchar[], $1::varchar[], $2::varchar[], $8::varchar[], $3::varchar[], $4::boolean[], $5::varchar[], $6::varchar[], $7::boolean[])
    AS t(pool, sub, username, pool_username, email, email_verified, first_name, last_name, synced)
  ON CONFLICT (pool, sub) DO NOTHING
  RETURNING *`;

/** Batches of up to this many keys; two at the database at once leave the pool's other connections free. */
const BATCHING = { concurrency: 2, maxBatchSize: 200 };

/**
 * The reads and writes of a request whose user is not cached: its row by pool and sub, and the insert of a
 * first sight. Concurrent requests share statements (batchedLoader). The statements are written
 * out, not built by TypeORM, whose query builder spent three times the query's own CPU on them.
 */
@Injectable()
export class UserRows {
  private readonly byPerson: DataLoader<PersonId, User | null>;
  private readonly firstSights: DataLoader<FirstSightRow, User | null>;

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly searchIndex: SearchIndexUpkeep,
  ) {
    this.byPerson = batchedLoader((people) => this.selectPeople(people), BATCHING);
    this.firstSights = batchedLoader((rows) => this.insertFirstSights(rows), BATCHING);
  }

  find(pool: string, sub: string): Promise<User | null> {
    return this.byPerson.load({ pool, sub });
  }

  /** The new row, or null if the person has one already (another request or instance inserted it first). */
  insertFirstSight(row: FirstSightRow): Promise<User | null> {
    return this.firstSights.load(row);
  }

  private async selectPeople(people: readonly PersonId[]): Promise<Array<User | null>> {
    const rows = await this.dataSource.query<Array<Record<string, unknown>>>(SELECT_BY_PEOPLE, [
      people.map((person) => person.pool),
      people.map((person) => person.sub),
    ]);
    return this.inOrder(people, rows);
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
      column((row) => row.pool),
    ]);
    if (rows.length > 0) this.searchIndex.rowsInserted();
    // A person twice in one batch is inserted once; its first caller gets the row, the other null (and reads it).
    const answers = this.inOrder(batch, rows);
    const answered = new Set<string>();
    return answers.map((user) => {
      if (!user || answered.has(user.id)) return null;
      answered.add(user.id);
      return user;
    });
  }

  /** The rows matched to the people they answer, null where none did. */
  private inOrder(people: readonly PersonId[], rows: Array<Record<string, unknown>>): Array<User | null> {
    const byPerson = new Map(rows.map((row) => [personKey(row.pool as string, row.sub as string), row]));
    return people.map((person) => {
      const row = byPerson.get(personKey(person.pool, person.sub));
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
