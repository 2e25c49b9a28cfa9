import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './data-source-options.js';

/** Any fixed number shared by every instance: they queue on it instead of migrating at once. */
const MIGRATION_LOCK = 727_100_401;

/** Applies pending migrations; safe to call from several instances starting together. */
export async function runMigrations(databaseUrl: string): Promise<string[]> {
  const dataSource = await new DataSource(buildDataSourceOptions(databaseUrl, { migrating: true })).initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations();
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    return applied.map((migration) => migration.name);
  } finally {
    await lock.release();
    await dataSource.destroy();
  }
}
