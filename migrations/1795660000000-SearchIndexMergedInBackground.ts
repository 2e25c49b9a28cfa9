import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The pending list is now merged in the background a second after new rows (SearchIndexUpkeep), so
 * its limit is only the backstop for when that cannot keep up: high enough that a burst of first
 * sights does not make an insert merge it, low enough that a search reading it whole pays a few ms.
 */
export class SearchIndexMergedInBackground1795660000000 implements MigrationInterface {
  name = 'SearchIndexMergedInBackground1795660000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER INDEX "users_search_trgm" SET (gin_pending_list_limit = 4096)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER INDEX "users_search_trgm" SET (gin_pending_list_limit = 1024)`);
  }
}
