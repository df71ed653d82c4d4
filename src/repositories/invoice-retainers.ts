/**
 * The retainers side of invoicing: ready retainers for drafts (R50), and the applications
 * that draw posted retainers down (R52, R53). Rows are locked in id order, after the
 * contract row the invoice command has already locked.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { TAX_CODE_GROUP, workOfTaxCode, type StoredTax } from './invoice-frozen.js';
import type { RetainerRow } from './retainers.js';

const CHUNK = 5000;

/** R50 / R60 / R66: ReadyToInvoice retainers of a contract dated on or before `upTo`, locked. */
export async function lockReadyRetainers(
  db: Kysely<DB>,
  q: {
    contractId: string;
    upTo: string;
    customerIds?: readonly string[];
    itemIds?: readonly string[];
  },
): Promise<RetainerRow[]> {
  if (q.customerIds?.length === 0 || q.itemIds?.length === 0) return [];
  let query = db
    .selectFrom('retainers')
    .selectAll()
    .where('contract_id', '=', q.contractId)
    .where('billing_status', '=', 'ReadyToInvoice')
    .where('date', '<=', q.upTo)
    .orderBy('id')
    .forUpdate();
  if (q.customerIds) query = query.where('customer_id', 'in', q.customerIds);
  if (q.itemIds) query = query.where('id', 'in', q.itemIds);
  return query.execute();
}

/** R66: contracts with ready retainers dated on or before `upTo`, in id order. */
export async function contractsWithReadyRetainers(db: Kysely<DB>, upTo: string): Promise<string[]> {
  const rows = await db
    .selectFrom('retainers')
    .select('contract_id')
    .distinct()
    .where('billing_status', '=', 'ReadyToInvoice')
    .where('date', '<=', upTo)
    .orderBy('contract_id')
    .execute();
  return rows.map((r) => r.contract_id);
}

/**
 * R52: posted retainers of some contract customers with something not yet used, locked in id
 * order (R53: a concurrent draft waits here until this one has reserved its share).
 */
export async function lockDrawableRetainers(
  db: Kysely<DB>,
  contractId: string,
  customerIds: readonly string[],
): Promise<RetainerRow[]> {
  if (customerIds.length === 0) return [];
  return db
    .selectFrom('retainers')
    .selectAll()
    .where('contract_id', '=', contractId)
    .where('customer_id', 'in', [...new Set(customerIds)])
    .where('billing_status', '=', 'CustomerInvoicePosted')
    .where(sql<boolean>`used_amount < amount`)
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** R61 / R52: the chargeable T&M and milestone amount of an invoice (retainer details excluded). */
export async function chargeableWorkTotal(
  db: Kysely<DB>,
  contractId: string,
  invoiceId: string,
): Promise<bigint> {
  const row = await db
    .selectFrom('invoice_details')
    .select(sql<string>`coalesce(sum(amount), 0)::text`.as('total'))
    .where('contract_id', '=', contractId)
    .where('invoice_id', '=', invoiceId)
    .where('removed_at', 'is', null)
    .where('kind', '=', 'charge')
    .where('billing_type', '=', 'Chargeable')
    .where('source_type', 'in', ['Actual', 'MilestoneSplit'])
    .executeTakeFirstOrThrow();
  return BigInt(row.total);
}

/** R53: what drafts (other than `exceptInvoiceId`) have reserved of each retainer. */
export async function reservedOnDrafts(
  db: Kysely<DB>,
  contractId: string,
  retainerIds: readonly string[],
  exceptInvoiceId?: string,
): Promise<Map<string, bigint>> {
  const out = new Map<string, bigint>();
  if (retainerIds.length === 0) return out;
  let query = db
    .selectFrom('retainer_applications as ra')
    .innerJoin('invoices as i', (j) =>
      j.onRef('i.contract_id', '=', 'ra.contract_id').onRef('i.id', '=', 'ra.invoice_id'),
    )
    .select(['ra.retainer_id', sql<string>`sum(ra.amount)::text`.as('reserved')])
    .where('ra.contract_id', '=', contractId)
    .where('ra.retainer_id', 'in', retainerIds)
    .where('i.status', '=', 'Draft')
    // A corrective draft's give-back (a negative application) is not available until the
    // correction is confirmed, so it never lowers what other drafts reserve.
    .where(sql<boolean>`ra.amount > 0`)
    .groupBy('ra.retainer_id');
  if (exceptInvoiceId !== undefined) query = query.where('ra.invoice_id', '<>', exceptInvoiceId);
  for (const r of await query.execute()) out.set(r.retainer_id, BigInt(r.reserved));
  return out;
}

export interface ApplicationRow {
  contract_id: string;
  invoice_id: string;
  retainer_id: string;
  amount: string;
}

/** The applications of some invoices, each invoice's oldest retainer first. */
export async function applicationsOfInvoices(
  db: Kysely<DB>,
  invoices: readonly { contract_id: string; id: string }[],
): Promise<ApplicationRow[]> {
  const out: ApplicationRow[] = [];
  for (let i = 0; i < invoices.length; i += CHUNK) {
    const chunk = invoices.slice(i, i + CHUNK);
    out.push(
      ...(await db
        .selectFrom('retainer_applications as ra')
        .innerJoin('retainers as r', (j) =>
          j.onRef('r.contract_id', '=', 'ra.contract_id').onRef('r.id', '=', 'ra.retainer_id'),
        )
        .select(['ra.contract_id', 'ra.invoice_id', 'ra.retainer_id', 'ra.amount'])
        .where('ra.contract_id', 'in', [...new Set(chunk.map((c) => c.contract_id))])
        .where(
          'ra.invoice_id',
          'in',
          chunk.map((c) => c.id),
        )
        .orderBy('ra.invoice_id')
        .orderBy('r.date')
        .orderBy('r.id')
        .execute()),
    );
  }
  return out;
}

export async function insertApplications(
  db: Kysely<DB>,
  rows: readonly { contractId: string; invoiceId: string; retainerId: string; amount: bigint }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('retainer_applications')
    .values(
      rows.map((r) => ({
        contract_id: r.contractId,
        invoice_id: r.invoiceId,
        retainer_id: r.retainerId,
        amount: r.amount,
      })),
    )
    .execute();
}

/** Sets one application's amount; 0 removes it. */
export async function setApplication(
  db: Kysely<DB>,
  a: { contractId: string; invoiceId: string; retainerId: string; amount: bigint },
): Promise<void> {
  if (a.amount === 0n) {
    await db
      .deleteFrom('retainer_applications')
      .where('contract_id', '=', a.contractId)
      .where('invoice_id', '=', a.invoiceId)
      .where('retainer_id', '=', a.retainerId)
      .execute();
    return;
  }
  await db
    .insertInto('retainer_applications')
    .values({
      contract_id: a.contractId,
      invoice_id: a.invoiceId,
      retainer_id: a.retainerId,
      amount: a.amount,
    })
    .onConflict((oc) =>
      oc.columns(['contract_id', 'invoice_id', 'retainer_id']).doUpdateSet({ amount: a.amount }),
    )
    .execute();
}

export async function deleteApplicationsOf(
  db: Kysely<DB>,
  contractId: string,
  invoiceId: string,
): Promise<void> {
  await db
    .deleteFrom('retainer_applications')
    .where('contract_id', '=', contractId)
    .where('invoice_id', '=', invoiceId)
    .execute();
}

/**
 * R53: confirming adds each applied amount to its retainer's used amount; a correction's
 * negative amounts (R65) give the draw back.
 */
export async function addUsedAmounts(
  db: Kysely<DB>,
  contractId: string,
  uses: readonly { retainerId: string; amount: bigint }[],
): Promise<void> {
  for (const u of uses) {
    await db
      .updateTable('retainers')
      .set({ used_amount: sql<string>`used_amount + ${u.amount.toString()}::bigint` })
      .where('contract_id', '=', contractId)
      .where('id', '=', u.retainerId)
      .execute();
  }
}

/**
 * R65 + R53: what an invoice has drawn from each retainer, net of what its confirmed
 * corrections gave back, oldest retainer first (by date, then id).
 */
export async function netApplicationsOfCorrected(
  db: Kysely<DB>,
  contractId: string,
  invoiceId: string,
): Promise<{ retainer_id: string; amount: bigint }[]> {
  const rows = await db
    .selectFrom('retainer_applications as ra')
    .innerJoin('invoices as i', (j) =>
      j.onRef('i.contract_id', '=', 'ra.contract_id').onRef('i.id', '=', 'ra.invoice_id'),
    )
    .innerJoin('retainers as r', (j) =>
      j.onRef('r.contract_id', '=', 'ra.contract_id').onRef('r.id', '=', 'ra.retainer_id'),
    )
    .select(['ra.retainer_id', 'r.date', sql<string>`sum(ra.amount)::text`.as('amount')])
    .where('ra.contract_id', '=', contractId)
    .where((eb) =>
      eb.or([
        eb('i.id', '=', invoiceId),
        eb.and([eb('i.corrects_invoice_id', '=', invoiceId), eb('i.status', '=', 'Confirmed')]),
      ]),
    )
    .groupBy(['ra.retainer_id', 'r.date'])
    .orderBy('r.date')
    .orderBy('ra.retainer_id')
    .execute();
  return rows.map((r) => ({ retainer_id: r.retainer_id, amount: BigInt(r.amount) }));
}

/**
 * R65 + R52 with R74: the chargeable T&M and milestone amount an invoice bills once
 * `correctiveId` is confirmed, by tax code: its charges, plus the credits of its confirmed
 * corrections and of `correctiveId` (credits keep the code of what they credit). A code on
 * an invoice never changes its category or rate (R72), so grouping by the code is grouping
 * by what was frozen.
 */
export async function netChargeableWorkOfCorrected(
  db: Kysely<DB>,
  contractId: string,
  invoiceId: string,
  correctiveId: string,
): Promise<{ tax: StoredTax | null; amount: bigint }[]> {
  const rows = await db
    .selectFrom('invoice_details as d')
    .innerJoin('invoices as i', (j) =>
      j.onRef('i.contract_id', '=', 'd.contract_id').onRef('i.id', '=', 'd.invoice_id'),
    )
    .leftJoin('tax_codes as t', 't.id', 'd.tax_code_id')
    .select([...TAX_CODE_GROUP, sql<string>`coalesce(sum(d.amount), 0)::text`.as('amount')])
    .where('d.contract_id', '=', contractId)
    .where('d.removed_at', 'is', null)
    .where('d.billing_type', '=', 'Chargeable')
    .where('d.source_type', 'in', ['Actual', 'MilestoneSplit'])
    .where((eb) =>
      eb.or([
        eb.and([eb('i.id', '=', invoiceId), eb('d.kind', '=', 'charge')]),
        eb.and([
          eb('d.kind', '=', 'credit'),
          eb('i.corrects_invoice_id', '=', invoiceId),
          eb.or([eb('i.status', '=', 'Confirmed'), eb('i.id', '=', correctiveId)]),
        ]),
      ]),
    )
    .groupBy([...TAX_CODE_GROUP])
    .execute();
  return rows.map(workOfTaxCode);
}

export interface RetainerDraw {
  retainer_id: string;
  invoice_id: string;
  status: 'Draft' | 'Confirmed';
  amount: bigint;
}

/**
 * R65: the invoices that still hold a draw on the given retainers: drafts that reserve some
 * of it, and confirmed invoices whose draw their confirmed corrections have not given back
 * in full. Ordered by retainer, then invoice.
 */
export async function openDrawsOfRetainers(
  db: Kysely<DB>,
  contractId: string,
  retainerIds: readonly string[],
): Promise<RetainerDraw[]> {
  if (retainerIds.length === 0) return [];
  const rows = await db
    .selectFrom('retainer_applications as ra')
    .innerJoin('invoices as i', (j) =>
      j.onRef('i.contract_id', '=', 'ra.contract_id').onRef('i.id', '=', 'ra.invoice_id'),
    )
    .select([
      'ra.retainer_id',
      'ra.invoice_id',
      'i.status',
      sql<string>`(ra.amount + coalesce((
        SELECT sum(c.amount) FROM retainer_applications c
          JOIN invoices ci ON ci.contract_id = c.contract_id AND ci.id = c.invoice_id
         WHERE c.contract_id = ra.contract_id AND c.retainer_id = ra.retainer_id
           AND ci.corrects_invoice_id = ra.invoice_id AND ci.status = 'Confirmed'), 0))::text`.as(
        'net',
      ),
    ])
    .where('ra.contract_id', '=', contractId)
    .where('ra.retainer_id', 'in', retainerIds)
    .where(sql<boolean>`ra.amount > 0`)
    .orderBy('ra.retainer_id')
    .orderBy('ra.invoice_id')
    .execute();
  return rows
    .map((r) => ({
      retainer_id: r.retainer_id,
      invoice_id: r.invoice_id,
      status: r.status as 'Draft' | 'Confirmed',
      amount: BigInt(r.net),
    }))
    .filter((r) => r.amount > 0n);
}
