import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, type QueryRunner } from 'typeorm';
import { buildDataSourceOptions } from './data-source-options.js';

/** Any fixed number shared by every instance: they queue on it instead of migrating at once. */
const MIGRATION_LOCK = 727_100_401;
/** How soon an instance that finds another one migrating tries again. */
const LOCK_RETRY_MS = 200;

/**
 * Takes the migration lock in a transaction of its own. An instance that finds it taken does not
 * wait inside a statement (nor inside a transaction): a CREATE INDEX CONCURRENTLY of the instance
 * that migrates waits for every transaction that was open when it began, and would wait forever for
 * one that waits for the lock. Each try is a short transaction of its own, and a simple query: a
 * parameterised one leaves its portal, and the snapshot it holds, open until the transaction ends.
 */
async function takeLock(lock: QueryRunner): Promise<void> {
  for (;;) {
    await lock.startTransaction();
    const [{ locked }] = (await lock.query(`SELECT pg_try_advisory_xact_lock(${MIGRATION_LOCK}) AS locked`)) as Array<{ locked: boolean }>;
    if (locked) return;
    await lock.rollbackTransaction();
    await sleep(LOCK_RETRY_MS);
  }
}

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
    await takeLock(lock);
    const applied = await dataSource.runMigrations();
    await lock.commitTransaction();
    return applied.map((migration) => migration.name);
  } finally {
    if (lock.isTransactionActive) await lock.rollbackTransaction().catch(() => undefined);
    await lock.release();
    await dataSource.destroy();
  }
}
