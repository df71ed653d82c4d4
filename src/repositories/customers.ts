import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { isId } from '../domain/ids.js';
import { nameContains } from './name-search.js';
import { decodeCursor, toPage, type Page } from './pagination.js';

export interface CustomerView {
  id: string;
  name: string;
}

export async function insertCustomer(db: Kysely<DB>, name: string): Promise<CustomerView> {
  return db
    .insertInto('customers')
    .values({ name })
    .returning(['id', 'name'])
    .executeTakeFirstOrThrow();
}

export async function findCustomer(db: Kysely<DB>, id: string): Promise<CustomerView | undefined> {
  if (!isId(id)) return undefined;
  return db.selectFrom('customers').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
}

export async function existingCustomerIds(db: Kysely<DB>, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('customers').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

export async function listCustomers(
  db: Kysely<DB>,
  q: { limit: number; cursor?: string; q?: string },
): Promise<Page<CustomerView>> {
  const after = decodeCursor(q.cursor, ['id']);
  let query = db
    .selectFrom('customers')
    .select(['id', 'name'])
    .orderBy('id')
    .limit(q.limit + 1);
  if (after?.[0]) query = query.where('id', '>', after[0]);
  if (q.q) query = query.where(nameContains('name', q.q));
  return toPage(
    await query.execute(),
    q.limit,
    (r) => r,
    (r) => [r.id],
  );
}
