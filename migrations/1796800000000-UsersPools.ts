import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A person is their pool and their `sub`: the same `sub` in two pools is two people. Existing rows
 * (and revoked sessions) belong to the pool `default`, the one the API accepted until now.
 *
 * Nothing here holds a lock for longer than an instant on a large table:
 * - a column with a constant default is recorded in the catalog (PostgreSQL 11+): the table is not
 *   rewritten, and the ALTER holds its lock only while the catalog changes;
 * - the unique index on (pool, sub) is built CONCURRENTLY, so inserts and updates carry on while it is
 *   built; that cannot run inside a transaction, hence `transaction = false` (migrate.ts takes its
 *   lock so that neither it nor an instance waiting for it leaves a transaction open for the build to
 *   wait for). Each step is idempotent, so a run that failed half-way is simply run again;
 * - revoked_sessions holds only sessions whose tokens have not expired yet: a few rows, whose
 *   primary key is rebuilt in place.
 *
 * Unlike the others, the previous version cannot run against it (its inserts name the unique key on
 * `sub` alone, and its caches the bare `sub` of a notification): docs/operations.md says how to upgrade.
 */
export class UsersPools1796800000000 implements MigrationInterface {
  name = 'UsersPools1796800000000';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD COLUMN IF NOT EXISTS "pool" varchar(32) NOT NULL DEFAULT 'default'`);
    // A build that failed half-way leaves an invalid index, which IF NOT EXISTS would keep.
    const [invalid] = (await queryRunner.query(
      `SELECT 1 FROM pg_index JOIN pg_class ON pg_class.oid = pg_index.indexrelid
        WHERE pg_class.relname = 'users_pool_sub_key' AND NOT pg_index.indisvalid`,
    )) as unknown[];
    if (invalid) await queryRunner.query(`DROP INDEX CONCURRENTLY "users_pool_sub_key"`);
    await queryRunner.query(`CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "users_pool_sub_key" ON "users" ("pool", "sub")`);
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS "users_sub_key"`);
    // Every instance caches rows by pool and sub: the notification names both ("<pool> <sub>"; pool names have no spaces).
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION "users_notify_change"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND (to_jsonb(OLD) - 'last_seen_at' - 'updated_at') = (to_jsonb(NEW) - 'last_seen_at' - 'updated_at') THEN
          RETURN NULL;
        END IF;
        PERFORM pg_notify('users_changed', OLD.pool || ' ' || OLD.sub);
        IF TG_OP = 'UPDATE' AND (NEW.pool, NEW.sub) IS DISTINCT FROM (OLD.pool, OLD.sub) THEN
          PERFORM pg_notify('users_changed', NEW.pool || ' ' || NEW.sub);
        END IF;
        RETURN NULL;
      END
      $$`);

    await queryRunner.query(`ALTER TABLE "revoked_sessions" ADD COLUMN IF NOT EXISTS "pool" varchar(32) NOT NULL DEFAULT 'default'`);
    await queryRunner.query(`
      ALTER TABLE "revoked_sessions" DROP CONSTRAINT IF EXISTS "revoked_sessions_pkey",
        ADD CONSTRAINT "revoked_sessions_pkey" PRIMARY KEY ("pool", "session_id")`);
    // Payload: the expiry in epoch seconds, the pool, the session id, separated by spaces (neither of the first two holds one).
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION "revoked_sessions_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('sessions_revoked', floor(extract(epoch FROM NEW.expires_at))::bigint || ' ' || NEW.pool || ' ' || NEW.session_id);
        RETURN NULL;
      END
      $$`);
  }

  /** Fails while two pools have a person with the same sub, or a session with the same id: one pool cannot hold both. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION "revoked_sessions_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('sessions_revoked', floor(extract(epoch FROM NEW.expires_at))::bigint || ' ' || NEW.session_id);
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`
      ALTER TABLE "revoked_sessions" DROP CONSTRAINT "revoked_sessions_pkey", ADD CONSTRAINT "revoked_sessions_pkey" PRIMARY KEY ("session_id")`);
    await queryRunner.query(`ALTER TABLE "revoked_sessions" DROP COLUMN "pool"`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION "users_notify_change"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND (to_jsonb(OLD) - 'last_seen_at' - 'updated_at') = (to_jsonb(NEW) - 'last_seen_at' - 'updated_at') THEN
          RETURN NULL;
        END IF;
        PERFORM pg_notify('users_changed', OLD.sub);
        IF TG_OP = 'UPDATE' AND NEW.sub <> OLD.sub THEN
          PERFORM pg_notify('users_changed', NEW.sub);
        END IF;
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "users_sub_key" ON "users" ("sub")`);
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS "users_pool_sub_key"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "pool"`);
  }
}
