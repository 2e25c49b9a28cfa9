import { randomUUID } from 'node:crypto';
import type { TestDatabase } from './test-database.js';

export interface UserRowInput {
  username?: string | null;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  isActive?: boolean;
  createdAt?: Date;
}

export interface InsertedUser {
  id: string;
  sub: string;
  username: string | null;
}

/** Rows written straight to the users table, for lists and searches that need many users. */
export async function insertUsers(db: TestDatabase, rows: UserRowInput[]): Promise<InsertedUser[]> {
  const inserted: InsertedUser[] = [];
  for (const row of rows) {
    const [user] = await db.query<InsertedUser>(
      `INSERT INTO users (sub, username, email, first_name, last_name, is_active, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id, sub, username`,
      [
        randomUUID(),
        row.username ?? null,
        row.email ?? null,
        row.firstName ?? null,
        row.lastName ?? null,
        row.isActive ?? true,
        row.createdAt ?? new Date(),
      ],
    );
    inserted.push(user);
  }
  return inserted;
}
