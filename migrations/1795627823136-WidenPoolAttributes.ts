import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cognito attribute values (email, given_name, family_name, preferred_username) are up to 2048
 * characters; the columns they are copied into must hold them. Widening a varchar is a catalogue
 * change in PostgreSQL: no table rewrite.
 */
export class WidenPoolAttributes1795627823136 implements MigrationInterface {
  name = 'WidenPoolAttributes1795627823136';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "users"
        ALTER COLUMN "username" TYPE varchar(2048),
        ALTER COLUMN "email" TYPE varchar(2048),
        ALTER COLUMN "first_name" TYPE varchar(2048),
        ALTER COLUMN "last_name" TYPE varchar(2048)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Longer values are cut to fit the old sizes rather than making the rollback fail.
    await queryRunner.query(`
      ALTER TABLE "users"
        ALTER COLUMN "username" TYPE varchar(128) USING left("username", 128),
        ALTER COLUMN "email" TYPE varchar(254) USING left("email", 254),
        ALTER COLUMN "first_name" TYPE varchar(100) USING left("first_name", 100),
        ALTER COLUMN "last_name" TYPE varchar(100) USING left("last_name", 100)`);
  }
}
