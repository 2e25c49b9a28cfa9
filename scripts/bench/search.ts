/**
 * `npm run bench:search`: the admin user list and search (the queries GET /api/v1/admin/users runs)
 * at 10,000, 100,000 and 1,000,000 users, on an embedded PostgreSQL of its own, migrated as in
 * production. Rows are generated in one INSERT ... SELECT generate_series per size; about 5% of them,
 * spread at random, share a last name ("Sleepyhead"). Prints the median and p90 of each query's time (20 runs).
 * `npm run bench:search -- --sizes 10000,100000` chooses the sizes.
 */
import 'reflect-metadata';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { DataSource } from 'typeorm';
import { startEmbeddedDatabase } from '../../dev/local/embedded-database.js';
import { freePort } from '@backend/local-cognito';
import type { PoolAdminService } from '../../src/admin/pool-admin.service.js';
import { AdminUsersService } from '../../src/admin/admin-users.service.js';
import type { AppConfig } from '../../src/config/app-config.js';
import { UserListQueryDto } from '../../src/admin/dto/user-list-query.dto.js';
import { buildDataSourceOptions } from '../../src/database/data-source-options.js';
import { runMigrations } from '../../src/database/migrate.js';
import { CognitoProfileClient } from '../../src/users/cognito-profile.client.js';
import { User } from '../../src/users/user.entity.js';
import type { UsersService } from '../../src/users/users.service.js';

const argv = process.argv.slice(2);
const SIZES = argv.includes('--sizes') ? argv[argv.indexOf('--sizes') + 1].split(',').map(Number) : [10_000, 100_000, 1_000_000];
const RUNS = 20;

const QUERIES: Array<[string, Record<string, string>]> = [
  ['first page, no search', {}],
  ['page 10, no search', { page: '10' }],
  ['search matching 5% ("sleepy")', { search: 'sleepy' }],
  ['search matching one user', { search: 'user-000042@' }],
  ['search matching nothing', { search: 'no-such-person' }],
  ['two-letter search ("us")', { search: 'us' }],
  ['active users, by username', { isActive: 'true', sort: 'username', order: 'asc' }],
  ['by last name, descending', { sort: 'lastName', order: 'desc' }],
  ['by last seen, page 10', { sort: 'lastSeenAt', order: 'asc', page: '10' }],
  ['search matching 5%, by email', { search: 'sleepy', sort: 'email', order: 'asc' }],
];

const say = (line: string) => console.log(`[bench:search] ${line}`);

async function timed(run: () => Promise<unknown>): Promise<{ p50: number; p90: number; result: unknown }> {
  let result: unknown = await run(); // warm: plan cache, buffers
  const times: number[] = [];
  for (let index = 0; index < RUNS; index++) {
    const started = performance.now();
    result = await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(RUNS / 2)], p90: times[Math.floor(RUNS * 0.9)], result };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'backend-bench-search-'));
  chmodSync(dir, 0o755); // as root, PostgreSQL runs as another user that must reach its folder
  const database = await startEmbeddedDatabase(join(dir, 'postgres'), await freePort());
  try {
    await runMigrations(database.url);
    const dataSource = await new DataSource(buildDataSourceOptions(database.url)).initialize();
    // Inserting a million rows (and their index entries) takes longer than the app's query timeout.
    const loader = await new DataSource(buildDataSourceOptions(database.url, { migrating: true })).initialize();
    // list() never writes nor calls the pool, so it needs neither the users service nor the pool clients.
    const sut = new AdminUsersService(
      dataSource.getRepository(User),
      undefined as unknown as UsersService,
      undefined as unknown as CognitoProfileClient,
      undefined as unknown as PoolAdminService,
      { pools: [{ name: 'default' }] } as AppConfig,
    );
    console.log('| users | query | p50 ms | p90 ms | total |');
    console.log('| ---: | --- | ---: | ---: | ---: |');
    let rows = 0;
    for (const size of SIZES) {
      const started = Date.now();
      // The 5% are picked by a hash, not every 20th user: ANALYZE reads a table of 10,000 whole, and
      // its histogram then holds every 100th user, each of whom would share the last name; the planner
      // took every user for a match and scanned the table instead of reading the trigram index.
      await loader.query(
        `INSERT INTO users (sub, username, email, email_verified, first_name, last_name, created_at)
         SELECT 'sub-' || n, 'user-' || lpad(n::text, 6, '0'), 'user-' || lpad(n::text, 6, '0') || '@example.com', true,
                'First' || (n % 1000), CASE WHEN hashint4(n) % 20 = 0 THEN 'Sleepyhead' ELSE 'Last' || (n % 5000) END,
                now() - n * interval '1 second'
         FROM generate_series($1::int + 1, $2::int) AS n`,
        [rows, size],
      );
      await loader.query('VACUUM ANALYZE users');
      rows = size;
      say(`${size} users (inserted and analysed in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
      for (const [label, query] of QUERIES) {
        const dto = plainToInstance(UserListQueryDto, query);
        const { p50, p90, result } = await timed(() => sut.list(dto, ['default']));
        const { total, totalIsEstimate } = result as { total: number; totalIsEstimate: boolean };
        console.log(`| ${size} | ${label} | ${p50.toFixed(1)} | ${p90.toFixed(1)} | ${totalIsEstimate ? `~${total}` : total} |`);
      }
    }
    await dataSource.destroy();
    await loader.destroy();
  } finally {
    await database.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
