/** Invoices, their details, the gapless number counter and invoice runs (R60–R67). */
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type {
  DB,
  InvoiceDetailsTable,
  InvoiceSourceType,
  InvoiceStatus,
  InvoicesTable,
} from '../db/schema.js';
import { insertColumnwise, type InsertColumn } from './column-inserts.js';
import { isId } from '../domain/ids.js';
import { decodeCursor, toPage, type Page } from './pagination.js';

export type InvoiceRow = Selectable<InvoicesTable>;
export type InvoiceDetailRow = Selectable<InvoiceDetailsTable>;
export type NewInvoiceDetail = Insertable<InvoiceDetailsTable>;

const CHUNK = 5000;

export async function insertInvoice(
  db: Kysely<DB>,
  row: Insertable<InvoicesTable>,
): Promise<InvoiceRow> {
  return db.insertInto('invoices').values(row).returningAll().executeTakeFirstOrThrow();
}

const DETAIL_COLUMNS: readonly InsertColumn<NewInvoiceDetail>[] = [
  ['contract_id', 'bigint'],
  ['invoice_id', 'bigint'],
  ['source_type', 'text'],
  ['source_id', 'bigint'],
  ['kind', 'text'],
  ['active', 'boolean', 'true'],
  ['contract_line_id', 'bigint'],
  ['customer_id', 'bigint'],
  ['transaction_class', 'text'],
  ['date', 'date'],
  ['original_quantity', 'numeric'],
  ['quantity', 'numeric'],
  ['unit_price', 'numeric'],
  ['original_amount', 'bigint'],
  ['amount', 'bigint'],
  ['billing_type', 'text'],
  ['corrects_detail_id', 'bigint'],
  ['tax_code_id', 'bigint'],
  ['description', 'text'],
  ['resource', 'text'],
  ['role', 'text'],
  ['category', 'text'],
];

/** Details, in one statement whatever their number; answered in input order (unless not wanted). */
export function insertInvoiceDetails(
  db: Kysely<DB>,
  rows: NewInvoiceDetail[],
  options: { returning?: boolean } = {},
): Promise<InvoiceDetailRow[]> {
  return insertColumnwise<NewInvoiceDetail, InvoiceDetailRow>(
    db,
    'invoice_details',
    DETAIL_COLUMNS,
    rows,
    options,
  );
}

/** The contract an invoice belongs to, so the caller can lock the contract row first. */
export async function findInvoiceContractId(
  db: Kysely<DB>,
  invoiceId: string,
): Promise<string | undefined> {
  if (!isId(invoiceId)) return undefined;
  const row = await db
    .selectFrom('invoices')
    .select('contract_id')
    .where('id', '=', invoiceId)
    .executeTakeFirst();
  return row?.contract_id;
}

/** The contract of each of these invoices, by invoice id (unknown ids are absent). */
export async function invoiceContractIds(
  db: Kysely<DB>,
  invoiceIds: readonly string[],
): Promise<Map<string, string>> {
  const ids = invoiceIds.filter(isId);
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('invoices')
    .select(['id', 'contract_id'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, r.contract_id]));
}

/** Locks invoice rows in (contract, id) order, after their contract rows. */
export async function lockInvoices(
  db: Kysely<DB>,
  invoices: readonly { contractId: string; id: string }[],
): Promise<InvoiceRow[]> {
  if (invoices.length === 0) return [];
  return db
    .selectFrom('invoices')
    .selectAll()
    .where('contract_id', 'in', [...new Set(invoices.map((i) => i.contractId))])
    .where(
      'id',
      'in',
      invoices.map((i) => i.id),
    )
    .orderBy('contract_id')
    .orderBy('id')
    .forUpdate()
    .execute();
}

export async function findInvoice(
  db: Kysely<DB>,
  contractId: string,
  invoiceId: string,
  opts: { forUpdate?: boolean } = {},
): Promise<InvoiceRow | undefined> {
  if (!isId(invoiceId)) return undefined;
  let query = db
    .selectFrom('invoices')
    .selectAll()
    .where('contract_id', '=', contractId)
    .where('id', '=', invoiceId);
  if (opts.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** The details an invoice shows: every detail not removed from its draft, in id order. */
export async function detailsOfInvoices(
  db: Kysely<DB>,
  invoices: readonly { contract_id: string; id: string }[],
): Promise<InvoiceDetailRow[]> {
  if (invoices.length === 0) return [];
  const out: InvoiceDetailRow[] = [];
  for (let i = 0; i < invoices.length; i += CHUNK) {
    const chunk = invoices.slice(i, i + CHUNK);
    out.push(
      ...(await db
        .selectFrom('invoice_details')
        .selectAll()
        .where('contract_id', 'in', [...new Set(chunk.map((c) => c.contract_id))])
        .where(
          'invoice_id',
          'in',
          chunk.map((c) => c.id),
        )
        .where('removed_at', 'is', null)
        .orderBy('invoice_id')
        .orderBy('id')
        .execute()),
    );
  }
  return out;
}

export async function findDetail(
  db: Kysely<DB>,
  contractId: string,
  invoiceId: string,
  detailId: string,
): Promise<InvoiceDetailRow | undefined> {
  if (!isId(detailId)) return undefined;
  return db
    .selectFrom('invoice_details')
    .selectAll()
    .where('contract_id', '=', contractId)
    .where('invoice_id', '=', invoiceId)
    .where('id', '=', detailId)
    .where('removed_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

export async function updateDetail(
  db: Kysely<DB>,
  detail: InvoiceDetailRow,
  changes: Partial<
    Pick<
      InvoiceDetailRow,
      'quantity' | 'amount' | 'billing_type' | 'nte_excess' | 'tax_code_id' | 'reason'
    >
  >,
): Promise<void> {
  await db
    .updateTable('invoice_details')
    .set(changes)
    .where('contract_id', '=', detail.contract_id)
    .where('id', '=', detail.id)
    .execute();
}

/** R32 / R67: a detail removed from a draft gives up its claim on the item. */
export async function removeDetails(
  db: Kysely<DB>,
  contractId: string,
  detailIds: readonly string[],
): Promise<void> {
  for (let i = 0; i < detailIds.length; i += CHUNK) {
    await db
      .updateTable('invoice_details')
      .set({ active: false, removed_at: sql<Date>`clock_timestamp()` })
      .where('contract_id', '=', contractId)
      .where('id', 'in', detailIds.slice(i, i + CHUNK))
      .execute();
  }
}

/** R65 / R67: a confirmed correction releases the claim of the details it credits. */
export async function releaseClaims(
  db: Kysely<DB>,
  contractId: string,
  detailIds: readonly string[],
): Promise<void> {
  if (detailIds.length === 0) return;
  for (let i = 0; i < detailIds.length; i += CHUNK) {
    await db
      .updateTable('invoice_details')
      .set({ active: false })
      .where('contract_id', '=', contractId)
      .where('id', 'in', detailIds.slice(i, i + CHUNK))
      .execute();
  }
}

/** Deletes a draft and all its detail rows (drafts are work in progress, not ledger). */
export async function deleteDraft(db: Kysely<DB>, invoice: InvoiceRow): Promise<void> {
  await db
    .deleteFrom('invoice_details')
    .where('contract_id', '=', invoice.contract_id)
    .where('invoice_id', '=', invoice.id)
    .execute();
  await db
    .deleteFrom('invoices')
    .where('contract_id', '=', invoice.contract_id)
    .where('id', '=', invoice.id)
    .where('status', '=', 'Draft')
    .execute();
}

/**
 * R63: the next `count` numbers of the one installation-wide sequence (answers the first).
 * The counter row stays locked until the confirm transaction ends; a rollback gives the
 * numbers back, so none is skipped.
 */
export async function nextInvoiceNumbers(db: Kysely<DB>, count: number): Promise<bigint> {
  const row = await db
    .updateTable('invoice_counters')
    .set({ next: sql<string>`next + ${count}` })
    .where('name', '=', 'invoice')
    .returning(sql<string>`next - ${count}`.as('number'))
    .executeTakeFirstOrThrow();
  return BigInt(row.number);
}

/** R63: the invoices numbered and confirmed, two statements whatever their number; in input order. */
export async function markConfirmed(
  db: Kysely<DB>,
  numbered: readonly { invoice: InvoiceRow; number: bigint; text: string }[],
): Promise<InvoiceRow[]> {
  if (numbered.length === 0) return [];
  await db
    .insertInto('invoice_numbers')
    .values(
      numbered.map(({ invoice, number }) => ({
        number,
        contract_id: invoice.contract_id,
        invoice_id: invoice.id,
      })),
    )
    .execute();
  const { rows } = await sql<InvoiceRow>`
    UPDATE invoices i SET status = 'Confirmed', number = u.text, confirmed_at = ${new Date()}
    FROM unnest(${numbered.map((n) => n.invoice.contract_id)}::bigint[],
                ${numbered.map((n) => n.invoice.id)}::bigint[],
                ${numbered.map((n) => n.text)}::text[]) AS u(contract_id, id, text)
    WHERE i.contract_id = u.contract_id AND i.id = u.id
    RETURNING i.*
  `.execute(db);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return numbered.map(({ invoice }) => {
    const row = byId.get(invoice.id);
    if (!row) throw new Error(`invoice ${invoice.id} vanished while confirming`);
    return row;
  });
}

export interface InvoiceQuery {
  status?: InvoiceStatus;
  contractId?: string;
  customerId?: string;
  limit: number;
  cursor?: string;
}

/** Keyset by id; each filter has an index that ends in id. */
export async function listInvoices(db: Kysely<DB>, q: InvoiceQuery): Promise<Page<InvoiceRow>> {
  const after = decodeCursor(q.cursor, ['id']);
  let query = db
    .selectFrom('invoices')
    .selectAll()
    .orderBy('id')
    .limit(q.limit + 1);
  if (q.status) query = query.where('status', '=', q.status);
  if (q.contractId) query = query.where('contract_id', '=', q.contractId);
  if (q.customerId) query = query.where('customer_id', '=', q.customerId);
  if (after?.[0]) query = query.where('id', '>', after[0]);
  return toPage(
    await query.execute(),
    q.limit,
    (r) => r,
    (r) => [r.id],
  );
}

/**
 * The invoice each item is on (draft or posted), by item id, for the backlog views'
 * `invoiceId`: the item's charge detail that was not removed from its draft. The T&M view
 * calls it with sourceType 'Actual'; milestone splits and retainers with their own type.
 */
export async function activeInvoiceOfItems(
  db: Kysely<DB>,
  sourceType: InvoiceSourceType,
  items: readonly { contractId: string; id: string }[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < items.length; i += CHUNK) {
    const chunk = items.slice(i, i + CHUNK);
    if (chunk.length === 0) continue;
    const rows = await db
      .selectFrom('invoice_details')
      .select(['source_id', 'invoice_id'])
      .where('contract_id', 'in', [...new Set(chunk.map((c) => c.contractId))])
      .where('source_type', '=', sourceType)
      .where(
        'source_id',
        'in',
        chunk.map((c) => c.id),
      )
      .where('kind', '=', 'charge')
      .where('removed_at', 'is', null)
      .orderBy('id')
      .execute();
    for (const r of rows) out.set(r.source_id, r.invoice_id);
  }
  return out;
}

/** Credits recorded against charge details, split by whether their invoice is confirmed. */
export async function creditsOfDetails(
  db: Kysely<DB>,
  contractId: string,
  detailIds: readonly string[],
): Promise<
  {
    corrects_detail_id: string;
    quantity: string;
    amount: string;
    status: InvoiceStatus;
    invoice_id: string;
  }[]
> {
  if (detailIds.length === 0) return [];
  const rows = await db
    .selectFrom('invoice_details as d')
    .innerJoin('invoices as i', (j) =>
      j.onRef('i.contract_id', '=', 'd.contract_id').onRef('i.id', '=', 'd.invoice_id'),
    )
    .select(['d.corrects_detail_id', 'd.quantity', 'd.amount', 'i.status', 'd.invoice_id'])
    .where('d.contract_id', '=', contractId)
    .where('d.corrects_detail_id', 'in', detailIds)
    .where('d.kind', '=', 'credit')
    .where('d.removed_at', 'is', null)
    .execute();
  return rows.map((r) => ({ ...r, corrects_detail_id: r.corrects_detail_id as string }));
}

/** R66: records (and locks) the run of `runDate` over one contract; answers its id. */
export async function claimInvoiceRun(
  db: Kysely<DB>,
  contractId: string,
  runDate: string,
): Promise<string> {
  const row = await db
    .insertInto('invoice_runs')
    .values({ contract_id: contractId, run_date: runDate })
    .onConflict((oc) =>
      oc.columns(['contract_id', 'run_date']).doUpdateSet({
        runs: sql<number>`invoice_runs.runs + 1`,
        last_run_at: sql<Date>`now()`,
      }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Contracts with a T&M run date on `runDate`, in id order (the lock order). */
export async function contractsScheduledOn(db: Kysely<DB>, runDate: string): Promise<string[]> {
  const rows = await db
    .selectFrom('invoice_schedule_dates')
    .select('contract_id')
    .distinct()
    .where('run_date', '=', runDate)
    .orderBy('contract_id')
    .execute();
  return rows.map((r) => r.contract_id);
}

/** R75: a draft's date (with its due date) and references. */
export async function updateInvoiceHeader(
  db: Kysely<DB>,
  invoice: InvoiceRow,
  changes: Partial<
    Pick<InvoiceRow, 'invoice_date' | 'due_date' | 'purchase_order' | 'buyer_reference' | 'note'>
  >,
): Promise<InvoiceRow> {
  if (Object.keys(changes).length === 0) return invoice;
  return db
    .updateTable('invoices')
    .set(changes)
    .where('contract_id', '=', invoice.contract_id)
    .where('id', '=', invoice.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
