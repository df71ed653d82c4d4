/**
 * Milestones and their splits (R40–R45): writes, locks and the reads a milestone is shown by.
 * The Fixed Price Milestones view's list query lives in `backlog-milestones.ts`.
 */
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type {
  DB,
  MilestoneSplitsTable,
  MilestonesTable,
  SplitBillingStatus,
} from '../db/schema.js';
import { isId } from '../domain/ids.js';
import { anyId } from './id-arrays.js';

export type MilestoneRow = Selectable<MilestonesTable>;
export type MilestoneSplitRow = Selectable<MilestoneSplitsTable>;
export type NewMilestoneSplit = Insertable<MilestoneSplitsTable>;

const CHUNK = 5000;

export async function findMilestone(
  db: Kysely<DB>,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<MilestoneRow | undefined> {
  if (!isId(id)) return undefined;
  let query = db.selectFrom('milestones').selectAll().where('id', '=', id);
  if (opts.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** The splits of some milestones of one contract, in id order (the lock order). */
export async function splitsOfMilestones(
  db: Kysely<DB>,
  contractId: string,
  milestoneIds: readonly string[],
  opts: { forUpdate?: boolean } = {},
): Promise<MilestoneSplitRow[]> {
  if (milestoneIds.length === 0) return [];
  let query = db
    .selectFrom('milestone_splits')
    .selectAll()
    .where('contract_id', '=', contractId)
    .where('milestone_id', 'in', milestoneIds)
    .orderBy('id');
  if (opts.forUpdate) query = query.forUpdate();
  return query.execute();
}

/** R44: the sum of a line's milestones, leaving one out (the one being changed). */
export async function sumOfLineMilestones(
  db: Kysely<DB>,
  contractId: string,
  contractLineId: string,
  excludeMilestoneId?: string,
): Promise<bigint> {
  let query = db
    .selectFrom('milestones')
    .select(sql<string>`coalesce(sum(amount), 0)::text`.as('total'))
    .where('contract_id', '=', contractId)
    .where('contract_line_id', '=', contractLineId);
  if (excludeMilestoneId) query = query.where('id', '<>', excludeMilestoneId);
  const row = await query.executeTakeFirstOrThrow();
  return BigInt(row.total);
}

export async function insertMilestones(
  db: Kysely<DB>,
  rows: Insertable<MilestonesTable>[],
): Promise<MilestoneRow[]> {
  if (rows.length === 0) return [];
  return db.insertInto('milestones').values(rows).returningAll().execute();
}

export async function insertMilestoneSplits(
  db: Kysely<DB>,
  rows: NewMilestoneSplit[],
): Promise<MilestoneSplitRow[]> {
  const out: MilestoneSplitRow[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    out.push(
      ...(await db
        .insertInto('milestone_splits')
        .values(rows.slice(i, i + CHUNK))
        .returningAll()
        .execute()),
    );
  }
  return out;
}

export async function updateMilestone(
  db: Kysely<DB>,
  contractId: string,
  id: string,
  changes: { name: string; date: string; amount: bigint },
): Promise<void> {
  await db
    .updateTable('milestones')
    .set({ name: changes.name, date: changes.date, amount: changes.amount, updated_at: new Date() })
    .where('contract_id', '=', contractId)
    .where('id', '=', id)
    .execute();
}

/** Re-split: each split keeps its id and status and takes its new amount and date. */
export async function updateSplitAmounts(
  db: Kysely<DB>,
  contractId: string,
  splits: readonly { id: string; amount: bigint; date: string }[],
): Promise<void> {
  for (const s of splits) {
    await db
      .updateTable('milestone_splits')
      .set({ amount: s.amount, date: s.date })
      .where('contract_id', '=', contractId)
      .where('id', '=', s.id)
      .execute();
  }
}

/** R6: splits whose part became 0 when their milestone's amount changed. */
export async function deleteMilestoneSplits(
  db: Kysely<DB>,
  contractId: string,
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .deleteFrom('milestone_splits')
    .where('contract_id', '=', contractId)
    .where('id', 'in', ids)
    .execute();
}

export async function deleteMilestone(
  db: Kysely<DB>,
  contractId: string,
  id: string,
): Promise<void> {
  await db
    .deleteFrom('milestone_splits')
    .where('contract_id', '=', contractId)
    .where('milestone_id', '=', id)
    .execute();
  await db
    .deleteFrom('milestones')
    .where('contract_id', '=', contractId)
    .where('id', '=', id)
    .execute();
}

/**
 * Locks the splits among `ids` (of one contract when given) in id order, so concurrent
 * actions never deadlock; ids that name no split are left out.
 */
export async function lockMilestoneSplits(
  db: Kysely<DB>,
  ids: readonly string[],
  contractId?: string,
): Promise<MilestoneSplitRow[]> {
  // One array parameter for any number of ids; rows are locked as the sort emits them.
  let query = db
    .selectFrom('milestone_splits')
    .selectAll()
    .where('id', '=', anyId(ids))
    .orderBy('id')
    .forUpdate();
  if (contractId !== undefined) query = query.where('contract_id', '=', contractId);
  return query.execute();
}

/**
 * Sets the billing status of splits (R30–R33), set-based. For the invoicing work:
 * putting splits on a draft (`CustomerInvoiceCreated`, with the draft's `invoiceId`),
 * confirming it (`CustomerInvoicePosted`; the invoice id stays when none is given) and
 * removing them (`ReadyToInvoice`). Leaving an invoice always clears `invoice_id`.
 * The caller holds the row locks and records the audit events (R35).
 */
export async function setMilestoneSplitsBillingStatus(
  db: Kysely<DB>,
  items: readonly { contractId: string; id: string }[],
  to: SplitBillingStatus,
  opts: { invoiceId?: string } = {},
): Promise<void> {
  const onInvoice = to === 'CustomerInvoiceCreated' || to === 'CustomerInvoicePosted';
  for (let i = 0; i < items.length; i += CHUNK) {
    const chunk = items.slice(i, i + CHUNK);
    let query = db
      .updateTable('milestone_splits')
      .set({ billing_status: to })
      .where('contract_id', 'in', [...new Set(chunk.map((c) => c.contractId))])
      .where(
        'id',
        'in',
        chunk.map((c) => c.id),
      );
    if (!onInvoice) query = query.set({ invoice_id: null });
    else if (opts.invoiceId !== undefined) query = query.set({ invoice_id: opts.invoiceId });
    await query.execute();
  }
}

/**
 * For invoicing (R32): locks the ReadyToInvoice splits of one contract dated on or before
 * `onOrBefore`, optionally only some customers' or some split ids, `FOR UPDATE SKIP LOCKED`
 * so concurrent drafts split the work instead of colliding. In (customer, line, date, id)
 * order. Lock the contract row first if the caller also changes contract-wide state.
 */
export async function lockReadyMilestoneSplits(
  db: Kysely<DB>,
  q: {
    contractId: string;
    onOrBefore: string;
    customerIds?: readonly string[];
    splitIds?: readonly string[];
  },
): Promise<MilestoneSplitRow[]> {
  const customerIds = q.customerIds?.filter(isId);
  const splitIds = q.splitIds?.filter(isId);
  if (!isId(q.contractId) || customerIds?.length === 0 || splitIds?.length === 0) return [];
  let query = db
    .selectFrom('milestone_splits as s')
    .selectAll('s')
    .where('s.contract_id', '=', q.contractId)
    .where('s.billing_status', '=', 'ReadyToInvoice')
    .where('s.date', '<=', q.onOrBefore)
    .orderBy('s.customer_id')
    .orderBy('s.contract_line_id')
    .orderBy('s.date')
    .orderBy('s.id')
    .forUpdate(['s'])
    .skipLocked();
  if (customerIds) query = query.where('s.customer_id', 'in', customerIds);
  if (splitIds) query = query.where('s.id', 'in', splitIds);
  return query.execute();
}

/** A milestone as the API shows it: with its splits and its contract's currency. */
export interface MilestoneView {
  milestone: MilestoneRow;
  splits: MilestoneSplitRow[];
  currency: string;
}

export async function findMilestoneView(
  db: Kysely<DB>,
  id: string,
): Promise<MilestoneView | undefined> {
  const milestone = await findMilestone(db, id);
  if (!milestone) return undefined;
  const [splits, contract] = await Promise.all([
    splitsOfMilestones(db, milestone.contract_id, [milestone.id]),
    db
      .selectFrom('contracts')
      .select('currency')
      .where('id', '=', milestone.contract_id)
      .executeTakeFirstOrThrow(),
  ]);
  return { milestone, splits, currency: contract.currency };
}
