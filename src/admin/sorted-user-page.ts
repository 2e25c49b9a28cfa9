import { In, type Repository, type SelectQueryBuilder } from 'typeorm';
import { User } from '../users/user.entity.js';
import type { UserSort } from './dto/user-list-query.dto.js';

/**
 * What each sort orders by: the expressions the IndexUserSorts migration indexes (PostgreSQL uses
 * an index only for its exact expression). Text columns sort by their first 256 characters (pool
 * attributes run to 2,048, longer than a B-tree entry may be); values equal that far are in id order.
 */
const SORT_KEYS: Record<Exclude<UserSort, 'createdAt'>, { column: string; key: string; type: string }> = {
  username: { column: '"u"."username"', key: 'left("u"."username", 256)', type: 'text' },
  email: { column: '"u"."email"', key: 'left("u"."email", 256)', type: 'text' },
  lastName: { column: '"u"."last_name"', key: 'left("u"."last_name", 256)', type: 'text' },
  lastSeenAt: { column: '"u"."last_seen_at"', key: '"u"."last_seen_at"', type: 'timestamptz' },
};

export type IndexedSort = keyof typeof SORT_KEYS;

export function isIndexedSort(sort: UserSort): sort is IndexedSort {
  return sort in SORT_KEYS;
}

/**
 * A page of `filtered` (a query over users "u" with a WHERE clause and no order) sorted by a column
 * that may be empty, users without a value last in either direction, ties broken by id. Written as
 * two parts, the users with a value (read in order from the column's index, forwards or backwards)
 * and those without (their ids from a second index): one index serves both directions, which
 * `ORDER BY … NULLS LAST` alone cannot, since a backward scan puts the empty values first.
 */
export async function sortedUserPage(
  users: Repository<User>,
  filtered: SelectQueryBuilder<User>,
  sort: IndexedSort,
  direction: 'ASC' | 'DESC',
  offset: number,
  pageSize: number,
): Promise<User[]> {
  const { column, key, type } = SORT_KEYS[sort];
  const end = offset + pageSize;
  const part = (empty: boolean) =>
    filtered
      .clone()
      .select('"u"."id"', 'id')
      .addSelect(empty ? `NULL::${type}` : key, 'k')
      .addSelect(String(empty), 'empty')
      .andWhere(`${column} IS ${empty ? '' : 'NOT '}NULL`)
      .getQueryAndParameters();
  // Both parts come from the same builder: the same parameters, numbered alike.
  const [present, parameters] = part(false);
  const [absent] = part(true);
  const rows = await users.manager.query<Array<{ id: string }>>(
    `SELECT id FROM (
       (${present} ORDER BY k ${direction}, id ${direction} LIMIT ${end})
       UNION ALL
       (${absent} ORDER BY id ${direction} LIMIT ${end})
     ) page
     ORDER BY empty, k ${direction}, id ${direction} OFFSET ${offset} LIMIT ${pageSize}`,
    parameters,
  );
  const ids = rows.map((row) => row.id);
  const found = new Map((await users.findBy({ id: In(ids) })).map((user) => [user.id, user]));
  return ids.flatMap((id) => found.get(id) ?? []);
}
