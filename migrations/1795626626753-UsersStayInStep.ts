import { MigrationInterface, QueryRunner } from 'typeorm';

export class UsersStayInStep1795626626753 implements MigrationInterface {
  name = 'UsersStayInStep1795626626753';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "users"
        ADD COLUMN "names_edited" boolean NOT NULL DEFAULT false,
        ADD COLUMN "tokens_revoked_before" timestamptz,
        ADD COLUMN "last_seen_at" timestamptz,
        ADD COLUMN "erased_at" timestamptz`);
    // Names edited before this column existed are kept (the old fill never overwrote a non-null name).
    await queryRunner.query(`UPDATE "users" SET "names_edited" = true WHERE "first_name" IS NOT NULL OR "last_name" IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "users_last_seen_idx" ON "users" ("last_seen_at")`);
    // Every change of a row is announced to every instance in the same transaction (delivered on
    // commit), whoever wrote it; a last-seen stamp alone changes nothing any instance caches.
    await queryRunner.query(`
      CREATE FUNCTION "users_notify_change"() RETURNS trigger LANGUAGE plpgsql AS $$
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
    await queryRunner.query(`
      CREATE TRIGGER "users_notify_change" AFTER UPDATE OR DELETE ON "users"
        FOR EACH ROW EXECUTE FUNCTION "users_notify_change"()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "users_notify_change" ON "users"`);
    await queryRunner.query(`DROP FUNCTION "users_notify_change"()`);
    await queryRunner.query(`DROP INDEX "users_last_seen_idx"`);
    await queryRunner.query(`
      ALTER TABLE "users" DROP COLUMN "names_edited", DROP COLUMN "tokens_revoked_before", DROP COLUMN "last_seen_at", DROP COLUMN "erased_at"`);
  }
}
