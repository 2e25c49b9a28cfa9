import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The pool's own user name (the token's `username` claim), which AdminGetUser and
 * AdminUserGlobalSignOut need: `username` may hold preferred_username, which the pool does not take
 * there. A nullable column without a default: added without rewriting the table.
 */
export class UsersPoolUsername1796598156964 implements MigrationInterface {
  name = 'UsersPoolUsername1796598156964';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD COLUMN "pool_username" varchar(128)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "pool_username"`);
  }
}
