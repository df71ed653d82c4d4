import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { DB, EntriesTable } from '../db/schema.js';
import { isId } from '../domain/ids.js';
import { decodeCursor, toPage, type Page } from './pagination.js';

export type EntryRow = Selectable<EntriesTable>;

export async function insertEntry(
  db: Kysely<DB>,
  entry: Insertable<EntriesTable>,
): Promise<EntryRow> {
  return db.insertInto('entries').values(entry).returningAll().executeTakeFirstOrThrow();
}

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
  const row = await db
    .selectFrom('entries')
    .select('contract_id')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.contract_id;
}

/** The contract of each entry id that names one (ids of no entry are left out). */
export async function contractIdsOfEntries(
  db: Kysely<DB>,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter(isId))];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .selectFrom('entries')
    .select(['id', 'contract_id'])
    .where('id', '=', sql<string>`ANY(${wanted}::bigint[])`)
    .execute();
  return new Map(rows.map((r) => [r.id, r.contract_id]));
}

/**
 * Locks the named entries of the given contracts (`FOR UPDATE`) in id order, one statement.
 * The caller holds the contracts' row locks first (the order every command keeps).
 */
export async function lockEntries(
  db: Kysely<DB>,
  contractIds: readonly string[],
  ids: readonly string[],
): Promise<EntryRow[]> {
  if (contractIds.length === 0 || ids.length === 0) return [];
  return db
    .selectFrom('entries')
    .selectAll()
    .where('contract_id', '=', sql<string>`ANY(${contractIds}::bigint[])`)
    .where('id', '=', sql<string>`ANY(${ids}::bigint[])`)
    .orderBy('id')
    .forUpdate()
    .execute();
}

export interface ApprovedEntry {
  contractId: string;
  id: string;
  /** Decimal text, or null when the approver kept the submitted quantity. */
  billableQuantity: string | null;
}

/** Marks entries Approved in one statement (one per distinct billable quantity). */
export async function markEntriesApproved(
  db: Kysely<DB>,
  entries: readonly ApprovedEntry[],
  at: Date,
): Promise<EntryRow[]> {
  const byQuantity = new Map<string | null, ApprovedEntry[]>();
  for (const e of entries)
    byQuantity.set(e.billableQuantity, [...(byQuantity.get(e.billableQuantity) ?? []), e]);
  const out: EntryRow[] = [];
  for (const [billableQuantity, group] of byQuantity) {
    const contractIds = [...new Set(group.map((e) => e.contractId))];
    out.push(
      ...(await db
        .updateTable('entries')
        .set({ status: 'Approved', billable_quantity: billableQuantity, approved_at: at })
        .where('contract_id', '=', sql<string>`ANY(${contractIds}::bigint[])`)
        .where('id', '=', sql<string>`ANY(${group.map((e) => e.id)}::bigint[])`)
        .returningAll()
        .execute()),
    );
  }
  return out;
}

/** R16: a Submitted entry (locked by the caller) becomes Rejected with its reason. */
export async function markEntryRejected(
  db: Kysely<DB>,
  entry: Pick<EntryRow, 'contract_id' | 'id'>,
  reason: string,
): Promise<EntryRow> {
  return db
    .updateTable('entries')
    .set({ status: 'Rejected', rejection_reason: reason })
    .where('contract_id', '=', entry.contract_id)
    .where('id', '=', entry.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * R16: an Approved entry (locked by the caller) whose approval was cancelled. It keeps its
 * billable quantity and approval time: what was approved, and when, before it was cancelled.
 */
export async function markEntryCancelled(
  db: Kysely<DB>,
  entry: Pick<EntryRow, 'contract_id' | 'id'>,
): Promise<EntryRow> {
  return db
    .updateTable('entries')
    .set({ status: 'Cancelled' })
    .where('contract_id', '=', entry.contract_id)
    .where('id', '=', entry.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface EntriesQuery {
  contractId?: string;
  contractLineId?: string;
  status?: EntryRow['status'];
  transactionClass?: EntryRow['transaction_class'];
  dateFrom?: string;
  dateTo?: string;
  limit: number;
  cursor?: string;
}

/**
 * R16: entries by date (then id), with their contract's currency, one keyset page at a time:
 * `status=Submitted` is the approver's queue, oldest work first (index entries_by_status).
 * (An id filter that names no entry arrives as id 0, src/views/lists.ts, and matches nothing.)
 */
export async function listEntries(
  db: Kysely<DB>,
  q: EntriesQuery,
): Promise<Page<EntryRow & { currency: string }>> {
  const after = decodeCursor(q.cursor, ['date', 'id']);
  let query = db
    .selectFrom('entries as e')
    .innerJoin('contracts as c', 'c.id', 'e.contract_id')
    .selectAll('e')
    .select('c.currency')
    .orderBy('e.date')
    .orderBy('e.id')
    .limit(q.limit + 1);
  if (q.contractId) query = query.where('e.contract_id', '=', q.contractId);
  if (q.contractLineId) query = query.where('e.contract_line_id', '=', q.contractLineId);
  if (q.status) query = query.where('e.status', '=', q.status);
  if (q.transactionClass) query = query.where('e.transaction_class', '=', q.transactionClass);
  if (q.dateFrom) query = query.where('e.date', '>=', q.dateFrom);
  if (q.dateTo) query = query.where('e.date', '<=', q.dateTo);
  if (after) {
    const [date, id] = after as [string, string];
    query = query.where((eb) => eb(eb.refTuple('e.date', 'e.id'), '>', eb.tuple(date, id)));
  }
  return toPage(
    await query.execute(),
    q.limit,
    (r) => r,
    (r) => [r.date, r.id],
  );
}

export interface ImportedEntryValues {
  contractId: string;
  contractLineId: string;
  transactionClass: EntriesTable['transaction_class'];
  date: string;
  quantity: string;
  unitPrice: string;
  resource?: string;
  role?: string;
  category?: string;
  description?: string;
  externalKey: string;
}

/**
 * Inserts imported entries as `Submitted`, leaving out any whose external key the contract
 * already has (issue 19: a re-run creates nothing twice). Answers the inserted ones.
 */
export async function insertImportedEntries(
  db: Kysely<DB>,
  rows: readonly ImportedEntryValues[],
): Promise<{ id: string; contract_id: string; external_key: string | null }[]> {
  if (rows.length === 0) return [];
  return db
    .insertInto('entries')
    .values(
      rows.map((r) => ({
        contract_id: r.contractId,
        contract_line_id: r.contractLineId,
        transaction_class: r.transactionClass,
        date: r.date,
        quantity: r.quantity,
        unit_price: r.unitPrice,
        billable_quantity: null,
        resource: r.resource ?? null,
        role: r.role ?? null,
        category: r.category ?? null,
        description: r.description ?? null,
        status: 'Submitted' as const,
        external_key: r.externalKey,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['contract_id', 'external_key']).where('external_key', 'is not', null).doNothing(),
    )
    .returning(['id', 'contract_id', 'external_key'])
    .execute();
}
