import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './data-source-options.js';

/** Any fixed number shared by every instance: they queue on it instead of migrating at once. */
const MIGRATION_LOCK = 727_100_401;

/**
 * Applies pending migrations; safe to call from several instances starting together. The lock is
 * held by an open transaction, not by a session: through a transaction-mode pooler (PgBouncer,
 * RDS Proxy) a session lock and its unlock may land on different server connections, and a lock
 * left behind would stop every later start.
 */
export async function runMigrations(databaseUrl: string): Promise<string[]> {
  const dataSource = await new DataSource(buildDataSourceOptions(databaseUrl, { migrating: true })).initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    await lock.startTransaction();
    await lock.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations();
    await lock.commitTransaction();
    return applied.map((migration) => migration.name);
  } finally {
    if (lock.isTransactionActive) await lock.rollbackTransaction().catch(() => undefined);
    await lock.release();
    await dataSource.destroy();
  }
}
