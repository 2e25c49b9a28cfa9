import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in sessions refused before their tokens expire (a sign-out of one session, or the pool saying
 * the session was revoked). Every instance keeps them in memory; a row is announced to every instance
 * on insert, and forgotten once the session's last token has expired.
 */
export class RevokedSessions1796700000000 implements MigrationInterface {
  name = 'RevokedSessions1796700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "revoked_sessions" (
        "session_id" varchar(255) PRIMARY KEY,
        "expires_at" timestamptz NOT NULL,
        "revoked_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX "revoked_sessions_expires_idx" ON "revoked_sessions" ("expires_at")`);
    // Payload: the expiry in epoch seconds, a space, the session id (ids hold no spaces in front).
    await queryRunner.query(`
      CREATE FUNCTION "revoked_sessions_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('sessions_revoked', floor(extract(epoch FROM NEW.expires_at))::bigint || ' ' || NEW.session_id);
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER "revoked_sessions_notify" AFTER INSERT OR UPDATE ON "revoked_sessions"
        FOR EACH ROW EXECUTE FUNCTION "revoked_sessions_notify"()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "revoked_sessions_notify" ON "revoked_sessions"`);
    await queryRunner.query(`DROP FUNCTION "revoked_sessions_notify"()`);
    await queryRunner.query(`DROP TABLE "revoked_sessions"`);
  }
}
