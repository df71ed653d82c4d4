/** R72: tax codes, with whether any invoice detail names them (`in_use`). */
import { sql, type Kysely } from 'kysely';
import type { DB, VatCategory } from '../db/schema.js';
import { isId } from '../domain/ids.js';
import { decodeCursor, toPage, type Page } from './pagination.js';

export interface TaxCodeRow {
  id: string;
  code: string;
  name: string;
  category: VatCategory;
  rate: string;
  exemption_reason: string | null;
  in_use: boolean;
}

export interface TaxCodeValues {
  code: string;
  name: string;
  category: VatCategory;
  /** Decimal text, e.g. "19.00". */
  rate: string;
  exemption_reason: string | null;
}

const inUse = sql<boolean>`EXISTS (SELECT 1 FROM invoice_details d WHERE d.tax_code_id = tax_codes.id)`;

const selectTaxCodes = (db: Kysely<DB>) =>
  db
    .selectFrom('tax_codes')
    .select(['id', 'code', 'name', 'category', 'rate', 'exemption_reason', inUse.as('in_use')]);

/** Codes are unique whatever their case (migration 0040); `exceptId` skips the code itself. */
export async function taxCodeIdByCode(
  db: Kysely<DB>,
  code: string,
  exceptId?: string,
): Promise<string | undefined> {
  let query = db
    .selectFrom('tax_codes')
    .select('id')
    .where(sql<boolean>`lower(code) = lower(${code})`);
  if (exceptId) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst())?.id;
}

export async function insertTaxCode(db: Kysely<DB>, values: TaxCodeValues): Promise<TaxCodeRow> {
  const { id } = await db
    .insertInto('tax_codes')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return (await findTaxCode(db, id)) as TaxCodeRow;
}

/**
 * `forUpdate` locks the row with FOR UPDATE, which conflicts with the KEY SHARE lock that
 * a detail's foreign key takes: `in_use` cannot turn true while the lock is held (R72).
 */
export async function findTaxCode(
  db: Kysely<DB>,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<TaxCodeRow | undefined> {
  if (!isId(id)) return undefined;
  if (opts.forUpdate) {
    const locked = await db
      .selectFrom('tax_codes')
      .select('id')
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!locked) return undefined;
  }
  return selectTaxCodes(db).where('id', '=', id).executeTakeFirst();
}

export async function updateTaxCode(
  db: Kysely<DB>,
  id: string,
  values: TaxCodeValues,
): Promise<TaxCodeRow> {
  await db.updateTable('tax_codes').set(values).where('id', '=', id).execute();
  return (await findTaxCode(db, id)) as TaxCodeRow;
}

export async function listTaxCodes(
  db: Kysely<DB>,
  q: { limit: number; cursor?: string },
): Promise<Page<TaxCodeRow>> {
  const after = decodeCursor(q.cursor, ['id']);
  let query = selectTaxCodes(db)
    .orderBy('id')
    .limit(q.limit + 1);
  if (after?.[0]) query = query.where('id', '>', after[0]);
  return toPage(
    await query.execute(),
    q.limit,
    (r) => r,
    (r) => [r.id],
  );
}
