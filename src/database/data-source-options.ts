import type { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities.js';
import { MIGRATIONS } from './migrations.js';

/** Fail fast instead of hanging when PostgreSQL is unreachable or a query stalls. */
export const DB_CONNECT_TIMEOUT_MS = 3000;
export const DB_QUERY_TIMEOUT_MS = 5000;

/**
 * The one builder of database options, shared by the app, the migration runner and the TypeORM CLI.
 * `migrating`: no query timeout, since building an index on a large table takes longer than any query should.
 */
export function buildDataSourceOptions(databaseUrl: string, { migrating = false } = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    installExtensions: false,
    extra: {
      max: 10,
      connectionTimeoutMillis: DB_CONNECT_TIMEOUT_MS,
      query_timeout: migrating ? undefined : DB_QUERY_TIMEOUT_MS,
      idleTimeoutMillis: 30_000,
    },
  };
}
