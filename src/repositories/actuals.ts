/** The ledger: inserts, reversals and read-only queries over `actuals`. */
import type { Insertable, Kysely, Selectable } from 'kysely';
import { insertColumnwise, type InsertColumn } from './column-inserts.js';
import type { ActualsTable, DB, TransactionClass } from '../db/schema.js';
import { decodeCursor, toPage, type Page } from './pagination.js';

export type ActualRow = Selectable<ActualsTable>;
/** An unbilled T&M actual: always on a contract line, for a line customer, of a work class. */
export type UnbilledActualRow = ActualRow & {
  contract_line_id: string;
  line_customer_id: string;
  transaction_class: TransactionClass;
};
export type NewActual = Insertable<ActualsTable>;

/** An actual with its contract's currency, the shape every view presents. */
export type ActualWithCurrency = ActualRow & { currency: string };

const INSERT_COLUMNS: readonly InsertColumn<NewActual>[] = [
  ['contract_id', 'bigint'],
  ['type', 'text'],
  ['reverses_id', 'bigint'],
  ['entry_id', 'bigint'],
  ['invoice_id', 'bigint'],
  ['contract_line_id', 'bigint'],
  ['line_customer_id', 'bigint'],
  ['customer_id', 'bigint'],
  ['transaction_class', 'text'],
  ['source_type', 'text', 'Actual'],
  ['source_id', 'bigint'],
  ['retainer_id', 'bigint'],
  ['date', 'date'],
  ['quantity', 'numeric'],
  ['unit_price', 'numeric'],
  ['amount', 'bigint'],
  ['billing_type', 'text'],
  ['billing_status', 'text'],
  ['nte_status', 'text'],
  ['nte_failed_level', 'text'],
  ['adjusted', 'boolean', 'false'],
];

/** Ledger rows, in one statement whatever their number; answered in input order. */
export function insertActuals(db: Kysely<DB>, rows: NewActual[]): Promise<ActualRow[]> {
  return insertColumnwise<NewActual, ActualRow>(db, 'actuals', INSERT_COLUMNS, rows);
}

/**
 * Reversal rows (spec §2): a copy with quantity and amount negated, `reverses_id` set, and
 * no workflow status. The caller decides what becomes of the originals: a cancelled approval
 * flags them adjusted (they leave every view), a confirm keeps them as posted rows.
 */
export async function reverseActuals(
  db: Kysely<DB>,
  originals: readonly ActualRow[],
): Promise<ActualRow[]> {
  if (originals.length === 0) return [];
  const reversals = await insertActuals(
    db,
    originals.map((a) => ({
      contract_id: a.contract_id,
      type: a.type,
      reverses_id: a.id,
      entry_id: a.entry_id,
      invoice_id: a.invoice_id,
      contract_line_id: a.contract_line_id,
      line_customer_id: a.line_customer_id,
      customer_id: a.customer_id,
      transaction_class: a.transaction_class,
      // A reversal records the same backlog item as the row it reverses (R68).
      source_type: a.source_type,
      source_id: a.source_id,
      retainer_id: a.retainer_id,
      date: a.date,
      quantity: negate(a.quantity),
      unit_price: a.unit_price,
      amount: negate(a.amount),
      billing_type: a.billing_type,
      billing_status: null,
      nte_status: null,
      nte_failed_level: null,
    })),
  );
  return reversals;
}

function negate(decimalText: string): string {
  if (/^-?0*(\.0*)?$/.test(decimalText)) return decimalText.replace(/^-/, '');
  return decimalText.startsWith('-') ? decimalText.slice(1) : `-${decimalText}`;
}

export interface ActualsQuery {
  contractId?: string;
  contractLineId?: string;
  customerId?: string;
  entryId?: string;
  invoiceId?: string;
  type?: 'UnbilledSales' | 'BilledSales';
  dateFrom?: string;
  dateTo?: string;
  limit: number;
  cursor?: string;
}

export async function listActuals(
  db: Kysely<DB>,
  q: ActualsQuery,
): Promise<Page<ActualWithCurrency>> {
  const after = decodeCursor(q.cursor, ['id']);
  let query = db
    .selectFrom('actuals as a')
    .innerJoin('contracts as c', 'c.id', 'a.contract_id')
    .selectAll('a')
    .select('c.currency')
    .orderBy('a.id')
    .limit(q.limit + 1);
  if (q.contractId) query = query.where('a.contract_id', '=', q.contractId);
  if (q.contractLineId) query = query.where('a.contract_line_id', '=', q.contractLineId);
  if (q.customerId) query = query.where('a.customer_id', '=', q.customerId);
  if (q.entryId) query = query.where('a.entry_id', '=', q.entryId);
  if (q.invoiceId) query = query.where('a.invoice_id', '=', q.invoiceId);
  if (q.type) query = query.where('a.type', '=', q.type);
  if (q.dateFrom) query = query.where('a.date', '>=', q.dateFrom);
  if (q.dateTo) query = query.where('a.date', '<=', q.dateTo);
  if (after?.[0]) query = query.where('a.id', '>', after[0]);
  return toPage(
    await query.execute(),
    q.limit,
    (r) => r,
    (r) => [r.id],
  );
}

/** The live unbilled rows an approval created (not reversals, not already reversed). */
export async function openActualsOfEntry(
  db: Kysely<DB>,
  contractId: string,
  entryId: string,
): Promise<ActualRow[]> {
  return db
    .selectFrom('actuals')
    .selectAll()
    .where('contract_id', '=', contractId)
    .where('entry_id', '=', entryId)
    .where('type', '=', 'UnbilledSales')
    .where('reverses_id', 'is', null)
    .where('adjusted', '=', false)
    .orderBy('id')
    .forUpdate()
    .execute();
}
