import type { Kysely, Selectable } from 'kysely';
import type { DB, EntriesTable } from '../db/schema.js';
import { isId } from '../domain/ids.js';

export type EntryRow = Selectable<EntriesTable>;

export async function findEntry(
  db: Kysely<DB>,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<EntryRow | undefined> {
  if (!isId(id)) return undefined;
  let query = db.selectFrom('entries').selectAll().where('id', '=', id);
  if (opts.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function findEntryContractId(db: Kysely<DB>, id: string): Promise<string | undefined> {
  if (!isId(id)) return undefined;
  const row = await db.selectFrom('entries').select('contract_id').where('id', '=', id).executeTakeFirst();
  return row?.contract_id;
}
