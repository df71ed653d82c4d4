/**
 * NTE usage of contracts (R21): limits from the contract setup, `committed` and `invoiced`
 * summed from the ledger, per line customer, and folded into one `NteBook` per contract.
 */
import type { Kysely } from 'kysely';
import type { DB, NteLevel } from '../db/schema.js';
import { NteBook, type NteKeys } from '../domain/nte.js';
import type { ContractRecord } from './contracts.js';

export interface NteBucketRef {
  contractId: string;
  contractLineId: string;
  lineCustomerId: string;
  customerId: string;
}

/** The bucket of each level an actual counts in. */
export function nteKeysOf(a: NteBucketRef): NteKeys {
  return {
    LineCustomer: a.lineCustomerId,
    ContractLine: a.contractLineId,
    ContractCustomer: a.customerId,
    Contract: a.contractId,
  };
}

interface UsageRow {
  contract_id: string;
  line_customer_id: string;
  contract_line_id: string;
  customer_id: string;
  amount: string | null;
}

/**
 * committed(L): chargeable live unbilled actuals whose nteStatus is Committed and that are
 * not posted (on a draft or not). The caller holds the contract row lock, so nothing can
 * change these sums until it commits.
 */
async function committedRows(db: Kysely<DB>, contractIds: string[]): Promise<UsageRow[]> {
  // Unbilled rows always carry a line and a line customer.
  return (await db
    .selectFrom('actuals')
    .select((eb) => [
      'contract_id',
      'line_customer_id',
      'contract_line_id',
      'customer_id',
      eb.fn.sum<string>('amount').as('amount'),
    ])
    .where('contract_id', 'in', contractIds)
    .where('nte_status', '=', 'Committed')
    .where('type', '=', 'UnbilledSales')
    .where('billing_type', '=', 'Chargeable')
    .where('reverses_id', 'is', null)
    .where('adjusted', '=', false)
    .where('billing_status', 'is not', null)
    .where('billing_status', '<>', 'CustomerInvoicePosted')
    .groupBy(['contract_id', 'line_customer_id', 'contract_line_id', 'customer_id'])
    .execute()) as UsageRow[];
}

/**
 * R29: what draft edits added to committed: a detail whose chargeable amount was raised
 * above what its actual commits carries the difference (`nte_excess`) while its draft is
 * open. Confirmed, the amount counts as invoiced instead; removed, it counts no more.
 */
async function draftExcessRows(db: Kysely<DB>, contractIds: string[]): Promise<UsageRow[]> {
  return (await db
    .selectFrom('invoice_details as d')
    .innerJoin('invoices as i', (j) =>
      j.onRef('i.contract_id', '=', 'd.contract_id').onRef('i.id', '=', 'd.invoice_id'),
    )
    .innerJoin('actuals as a', (j) =>
      j.onRef('a.contract_id', '=', 'd.contract_id').onRef('a.id', '=', 'd.source_id'),
    )
    .select((eb) => [
      'a.contract_id',
      'a.line_customer_id',
      'a.contract_line_id',
      'a.customer_id',
      eb.fn.sum<string>('d.nte_excess').as('amount'),
    ])
    .where('d.contract_id', 'in', contractIds)
    .where('d.nte_excess', '>', '0')
    .where('d.active', '=', true)
    .where('d.source_type', '=', 'Actual')
    .where('i.status', '=', 'Draft')
    .groupBy(['a.contract_id', 'a.line_customer_id', 'a.contract_line_id', 'a.customer_id'])
    .execute()) as UsageRow[];
}

/**
 * invoiced(L): chargeable BilledSales on T&M lines, credits (negative rows) included. The
 * invoicing module writes these rows when it confirms an invoice (R63, R65); milestones and
 * retainers never count (R27).
 */
async function invoicedRows(db: Kysely<DB>, contractIds: string[]): Promise<UsageRow[]> {
  // The join to T&M lines leaves out milestone and retainer rows (R27).
  return (await db
    .selectFrom('actuals as a')
    .innerJoin('contract_lines as l', (join) =>
      join.onRef('l.contract_id', '=', 'a.contract_id').onRef('l.id', '=', 'a.contract_line_id'),
    )
    .select((eb) => [
      'a.contract_id',
      'a.line_customer_id',
      'a.contract_line_id',
      'a.customer_id',
      eb.fn.sum<string>('a.amount').as('amount'),
    ])
    .where('a.contract_id', 'in', contractIds)
    .where('a.type', '=', 'BilledSales')
    .where('a.billing_type', '=', 'Chargeable')
    .where('l.billing_method', '=', 'TimeAndMaterial')
    .groupBy(['a.contract_id', 'a.line_customer_id', 'a.contract_line_id', 'a.customer_id'])
    .execute()) as UsageRow[];
}

function perLevel(rows: UsageRow[]): [NteLevel, string, bigint][] {
  return rows.flatMap((r) => {
    const keys = nteKeysOf({
      contractId: r.contract_id,
      contractLineId: r.contract_line_id,
      lineCustomerId: r.line_customer_id,
      customerId: r.customer_id,
    });
    const amount = BigInt(r.amount ?? '0');
    return (Object.keys(keys) as NteLevel[]).map((level): [NteLevel, string, bigint] => [
      level,
      keys[level],
      amount,
    ]);
  });
}

function limitsOf(record: ContractRecord): [NteLevel, string, bigint | null][] {
  const big = (v: string | null) => (v === null ? null : BigInt(v));
  return [
    ['Contract', record.contract.id, big(record.contract.nte_limit)],
    ...record.customers.map((c): [NteLevel, string, bigint | null] => [
      'ContractCustomer',
      c.customer_id,
      big(c.nte_limit),
    ]),
    ...record.lines.flatMap(({ line, customers }) => [
      ['ContractLine', line.id, big(line.nte_limit)] as [NteLevel, string, bigint | null],
      ...customers.map((lc): [NteLevel, string, bigint | null] => [
        'LineCustomer',
        lc.id,
        big(lc.nte_limit),
      ]),
    ]),
  ];
}

/** A contract's limits with nothing invoiced or committed (a contract just set up). */
export function limitsOnlyBook(record: ContractRecord): NteBook {
  return NteBook.of({ limits: limitsOf(record) });
}

/** One book per contract, keyed by contract id. */
export async function loadNteBooks(
  db: Kysely<DB>,
  records: readonly ContractRecord[],
): Promise<Map<string, NteBook>> {
  const books = new Map<string, NteBook>();
  if (records.length === 0) return books;
  // Contracts without any limit need no sums: every level is unlimited (R22).
  const limited = records.filter((r) => limitsOf(r).some(([, , limit]) => limit !== null));
  const ids = limited.map((r) => r.contract.id);
  const committed =
    ids.length > 0 ? [...(await committedRows(db, ids)), ...(await draftExcessRows(db, ids))] : [];
  const invoiced = ids.length > 0 ? await invoicedRows(db, ids) : [];
  for (const record of records) {
    const id = record.contract.id;
    books.set(
      id,
      NteBook.of({
        limits: limitsOf(record),
        committed: perLevel(committed.filter((r) => r.contract_id === id)),
        invoiced: perLevel(invoiced.filter((r) => r.contract_id === id)),
      }),
    );
  }
  return books;
}
