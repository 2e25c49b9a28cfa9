import { AuditEntry } from '../admin/audit-entry.entity.js';
import { User } from '../users/user.entity.js';

export const ENTITIES = [User, AuditEntry];
