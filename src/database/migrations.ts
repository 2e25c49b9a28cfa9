import { CreateUsers1764000000000 } from '../../migrations/1764000000000-CreateUsers.js';
import { CreateAuditEntries1765000000000 } from '../../migrations/1765000000000-CreateAuditEntries.js';
import { IndexUserSearch1795627345683 } from '../../migrations/1795627345683-IndexUserSearch.js';

/**
 * Every migration, in order. Listed as classes rather than a file glob so that the server,
 * the TypeORM CLI and the tests (which run the TypeScript sources) load the same set.
 */
export const MIGRATIONS = [CreateUsers1764000000000, CreateAuditEntries1765000000000, IndexUserSearch1795627345683];
