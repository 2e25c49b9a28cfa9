import { MigrationInterface, QueryRunner } from 'typeorm';

/** The sortable columns of the admin user list, and the key each sorts by (the expression indexed). */
const SORTS = [
  { column: 'username', key: 'left("username", 256)' },
  { column: 'email', key: 'left("email", 256)' },
  { column: 'last_name', key: 'left("last_name", 256)' },
  { column: 'last_seen_at', key: '"last_seen_at"' },
];

/**
 * The admin list sorted by username, email, last name or last seen, first page at a million users
 * in milliseconds instead of a full scan and sort. For each column, two partial indexes: its values
 * (both directions scan it) and the ids of the users without one, whom every order lists last.
 * Pool attributes run to 2,048 characters, longer than a B-tree entry may be, so the text columns are
 * indexed, and sorted, on their first 256 characters; values equal that far are in id order.
 * The same expressions as SORT_KEYS in sorted-user-page.ts: PostgreSQL uses an index only for its exact expression.
 */
export class IndexUserSorts1795651000000 implements MigrationInterface {
  name = 'IndexUserSorts1795651000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const { column, key } of SORTS) {
      await queryRunner.query(`CREATE INDEX "users_by_${column}" ON "users" (${key}, "id") WHERE "${column}" IS NOT NULL`);
      await queryRunner.query(`CREATE INDEX "users_without_${column}" ON "users" ("id") WHERE "${column}" IS NULL AND "erased_at" IS NULL`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const { column } of SORTS) {
      await queryRunner.query(`DROP INDEX "users_without_${column}"`);
      await queryRunner.query(`DROP INDEX "users_by_${column}"`);
    }
  }
}
