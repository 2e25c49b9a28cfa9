import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUsers1764000000000 implements MigrationInterface {
  name = 'CreateUsers1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // gen_random_uuid() is built into PostgreSQL 13+, so no extension (often not allowed on managed databases).
    await queryRunner.query(`
      CREATE TABLE "users" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "sub" varchar(128) NOT NULL,
        "username" varchar(128),
        "email" varchar(254),
        "email_verified" boolean NOT NULL DEFAULT false,
        "first_name" varchar(100),
        "last_name" varchar(100),
        "preferred_email" varchar(254),
        "github_handle" varchar(39),
        "slack_member_id" varchar(32),
        "linkedin_account" varchar(200),
        "phone" varchar(16),
        "texting_ok" boolean NOT NULL DEFAULT false,
        "time_zone" varchar(64),
        "is_active" boolean NOT NULL DEFAULT true,
        "profile_synced_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "users_pkey" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "users_sub_key" ON "users" ("sub")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "users"`);
  }
}
