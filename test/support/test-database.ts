import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { testStack } from './stack-env.js';

export interface TestDatabase {
  url: string;
  query<T extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database on the test server (or on the server of `adminUrl`), so that test files
 * never see each other's rows.
 */
export async function createTestDatabase(adminUrl = testStack().adminDatabaseUrl): Promise<TestDatabase> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();

  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const client = new pg.Pool({ connectionString: url.toString(), max: 2 });
  // An idle connection cut by a test that stops its server is dropped; the next query opens another.
  client.on('error', () => undefined);
  return {
    url: url.toString(),
    query: async (sql, params) => (await client.query(sql, params)).rows,
    drop: async () => {
      await client.end();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
