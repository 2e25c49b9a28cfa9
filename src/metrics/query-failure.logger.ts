import type { Logger } from 'typeorm';
import { countQueryFailure } from './metrics.js';

/** TypeORM's logger hook, used only to count failed queries; it prints nothing (the exception filter logs). */
export class QueryFailureLogger implements Logger {
  logQueryError(): void {
    countQueryFailure();
  }
  logQuery(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
