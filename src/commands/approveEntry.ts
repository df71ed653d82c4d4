import { planApprovalActuals } from '../domain/approval.js';
import { DomainError, invalidTransition, notFound } from '../domain/errors.js';
import { currencyExponent, formatDecimal, parseDecimal, QUANTITY_SCALE, UNIT_PRICE_SCALE } from '../domain/money.js';
import { insertActuals, type ActualWithCurrency } from '../repositories/actuals.js';
import { recordAudit, type AuditEvent } from '../repositories/audit.js';
import { findContractRow, loadContract } from '../repositories/contracts.js';
import { findEntry, findEntryContractId, type EntryRow } from '../repositories/entries.js';
import { assessNte } from './assessNte.js';
import type { CommandContext } from './context.js';

export interface ApproveEntryInput {
  entryId: string;
  /** Decimal text, validated by the request schema. */
  billableQuantity?: string;
}

export interface ApprovalResult {
  entry: EntryRow;
  actuals: ActualWithCurrency[];
}

const units = (text: string, scale: number): bigint => {
  const v = parseDecimal(text, scale, 18);
  if (v === null) throw new Error(`stored decimal ${text} does not fit scale ${scale}`);
  return v;
};

export async function approveEntry(ctx: CommandContext, input: ApproveEntryInput): Promise<ApprovalResult> {
  const contractId = await findEntryContractId(ctx.db, input.entryId);
  if (!contractId) throw notFound('entry', input.entryId);
  // The contract row lock queues every change to this contract's NTE usage (R21).
  const contractRow = await findContractRow(ctx.db, contractId, { forUpdate: true });
  const entry = await findEntry(ctx.db, input.entryId, { forUpdate: true });
  if (!contractRow || !entry) throw notFound('entry', input.entryId);
  // R14
  if (entry.status !== 'Submitted') {
    throw invalidTransition(`entry ${entry.id} is ${entry.status}; only a Submitted entry can be approved`);
  }
  const contract = await loadContract(ctx.db, contractId);
  const line = contract?.lines.find((l) => l.line.id === entry.contract_line_id);
  if (!contract || !line) throw new DomainError('NOT_FOUND', `contract line of entry ${entry.id} is gone`);

  const exponent = currencyExponent(contractRow.currency);
  const billable = input.billableQuantity === undefined ? undefined : units(input.billableQuantity, QUANTITY_SCALE);
  // R10: fixed-price revenue is billed through milestones, so no sales actual here.
  const planned =
    line.line.billing_method === 'TimeAndMaterial'
      ? planApprovalActuals({
          quantity: units(entry.quantity, QUANTITY_SCALE),
          billableQuantity: billable,
          unitPrice: units(entry.unit_price, UNIT_PRICE_SCALE),
          exponent,
          shares: line.customers.map((lc) => ({
            lineCustomerId: lc.id,
            customerId: lc.customer_id,
            percent: units(lc.split_percent, 2),
            isRounding: lc.is_rounding,
          })),
        })
      : [];
  // R23: evaluated as the actuals are created; a failure never blocks the approval.
  const nte = await assessNte(
    ctx,
    contract,
    planned.map((p) => ({
      contractLineId: line.line.id,
      lineCustomerId: p.lineCustomerId,
      customerId: p.customerId,
      billingType: p.billingType,
      amount: p.amount,
    })),
  );
  const actuals = await insertActuals(
    ctx.db,
    planned.map((p, i) => ({
      contract_id: contractId,
      type: 'UnbilledSales' as const,
      entry_id: entry.id,
      contract_line_id: line.line.id,
      line_customer_id: p.lineCustomerId,
      customer_id: p.customerId,
      transaction_class: entry.transaction_class,
      date: entry.date,
      quantity: formatDecimal(p.quantity, QUANTITY_SCALE),
      unit_price: entry.unit_price,
      amount: p.amount,
      billing_type: p.billingType,
      billing_status: 'UnbilledSalesCreated' as const,
      nte_status: nte[i]?.status ?? 'NotApplicable',
      nte_failed_level: nte[i]?.failedLevel ?? null,
    })),
  );
  const approved = await ctx.db
    .updateTable('entries')
    .set({
      status: 'Approved',
      billable_quantity: billable === undefined ? null : formatDecimal(billable, QUANTITY_SCALE),
      approved_at: new Date(),
    })
    .where('contract_id', '=', contractId)
    .where('id', '=', entry.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const events: AuditEvent[] = [
    { actor: ctx.actor, action: 'approveEntry', entityType: 'Entry', entityId: entry.id, contractId, from: 'Submitted', to: 'Approved' },
    ...actuals.map((a) => ({
      actor: ctx.actor,
      action: 'approveEntry',
      entityType: 'Actual',
      entityId: a.id,
      contractId,
      from: null,
      to: 'UnbilledSalesCreated',
    })),
    // R35: the NTE status an evaluation gave (R23); NotApplicable is no evaluation.
    ...actuals
      .filter((a) => a.nte_status === 'Committed' || a.nte_status === 'Failed')
      .map((a) => ({
        actor: ctx.actor,
        action: 'assessNte',
        entityType: 'Actual',
        entityId: a.id,
        contractId,
        from: null,
        to: a.nte_status,
      })),
  ];
  await recordAudit(ctx.db, events);
  return { entry: approved, actuals: actuals.map((a) => ({ ...a, currency: contractRow.currency })) };
}
