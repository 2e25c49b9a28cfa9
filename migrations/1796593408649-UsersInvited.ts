import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A person invited by an admin has a row from the invitation on, keyed by the pool's `sub`; the
 * stamp tells the admin list that they have not signed in yet. A nullable column without a
 * default is a catalogue change: no table rewrite, no long lock.
 */
export class UsersInvited1796593408649 implements MigrationInterface {
  name = 'UsersInvited1796593408649';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD COLUMN "invited_at" timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "invited_at"`);
  }
}
