import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAuditEntries1765000000000 implements MigrationInterface {
  name = 'CreateAuditEntries1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Users are never deleted (deactivation keeps the row), so both references can be foreign keys.
    await queryRunner.query(`
      CREATE TABLE "audit_entries" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "actor_id" uuid NOT NULL,
        "actor_sub" varchar(128) NOT NULL,
        "action" varchar(64) NOT NULL,
        "target_id" uuid NOT NULL,
        "before" jsonb NOT NULL,
        "after" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "audit_entries_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "audit_entries_actor_fkey" FOREIGN KEY ("actor_id") REFERENCES "users" ("id"),
        CONSTRAINT "audit_entries_target_fkey" FOREIGN KEY ("target_id") REFERENCES "users" ("id")
      )`);
    await queryRunner.query(`CREATE INDEX "audit_entries_created_idx" ON "audit_entries" ("created_at", "id")`);
    await queryRunner.query(`CREATE INDEX "audit_entries_target_created_idx" ON "audit_entries" ("target_id", "created_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "audit_entries"`);
  }
}
