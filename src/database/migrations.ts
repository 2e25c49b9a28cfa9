import { CreateUsers1764000000000 } from '../../migrations/1764000000000-CreateUsers.js';
import { CreateAuditEntries1765000000000 } from '../../migrations/1765000000000-CreateAuditEntries.js';
import { UsersStayInStep1795626626753 } from '../../migrations/1795626626753-UsersStayInStep.js';
import { IndexUserSearch1795627345683 } from '../../migrations/1795627345683-IndexUserSearch.js';
import { WidenPoolAttributes1795627823136 } from '../../migrations/1795627823136-WidenPoolAttributes.js';
import { SearchIndexPendingList1795650000000 } from '../../migrations/1795650000000-SearchIndexPendingList.js';
import { IndexUserSorts1795651000000 } from '../../migrations/1795651000000-IndexUserSorts.js';
import { SearchIndexMergedInBackground1795660000000 } from '../../migrations/1795660000000-SearchIndexMergedInBackground.js';
import { UsersInvited1796593408649 } from '../../migrations/1796593408649-UsersInvited.js';
import { RevokedSessions1796700000000 } from '../../migrations/1796700000000-RevokedSessions.js';
import { UsersPoolUsername1796598156964 } from '../../migrations/1796598156964-UsersPoolUsername.js';
import { UsersPools1796800000000 } from '../../migrations/1796800000000-UsersPools.js';

/**
 * Every migration, in order. Listed as classes rather than a file glob so that the server,
 * the TypeORM CLI and the tests (which run the TypeScript sources) load the same set.
 */
export const MIGRATIONS = [
  CreateUsers1764000000000,
  CreateAuditEntries1765000000000,
  UsersStayInStep1795626626753,
  IndexUserSearch1795627345683,
  WidenPoolAttributes1795627823136,
  SearchIndexPendingList1795650000000,
  IndexUserSorts1795651000000,
  SearchIndexMergedInBackground1795660000000,
  UsersInvited1796593408649,
  UsersPoolUsername1796598156964,
  RevokedSessions1796700000000,
  UsersPools1796800000000,
];
