/**
 * Cancelling an approval (R13, R15, R16): reverses the entry's open actuals — those the
 * approval created and those a confirmed correction returned — and takes them out of the
 * backlog. Refused while any of them is on a draft, or while a posted one is not fully
 * credited. The entry becomes Cancelled (final: a new entry records the work again).
 */
import { planCancellation, entryTransition } from '../domain/entries.js';
import { invalidTransition, notFound } from '../domain/errors.js';
import { currencyExponent, parseDecimal, QUANTITY_SCALE } from '../domain/money.js';
import { openActualsOfEntry, reverseActuals } from '../repositories/actuals.js';
import { recordAudit } from '../repositories/audit.js';
import { findContractRow } from '../repositories/contracts.js';
import {
  findEntry,
  findEntryContractId,
  markEntryCancelled,
  type EntryRow,
} from '../repositories/entries.js';
import { flagActualsAdjusted, postedBalances } from '../repositories/entry-actuals.js';
import type { CommandContext } from './context.js';

const quantity = (text: string): bigint => {
  const v = parseDecimal(text, QUANTITY_SCALE, 18);
  if (v === null) throw new Error(`stored quantity ${text} is not a decimal`);
  return v;
};

export async function cancelApproval(ctx: CommandContext, entryId: string): Promise<EntryRow> {
  // Lock order: the contract row, then the entry, then its actuals (in id order).
  const contractId = await findEntryContractId(ctx.db, entryId);
  if (!contractId) throw notFound('entry', entryId);
  const contract = await findContractRow(ctx.db, contractId, { forUpdate: true });
  const entry = await findEntry(ctx.db, entryId, { forUpdate: true });
  if (!contract || !entry) throw notFound('entry', entryId);
  const move = entryTransition('cancelApproval', entry);
  if ('refusal' in move) throw invalidTransition(move.refusal);

  const actuals = await openActualsOfEntry(ctx.db, contractId, entry.id);
  const posted = actuals.filter((a) => a.billing_status === 'CustomerInvoicePosted');
  const balances = await postedBalances(
    ctx.db,
    contractId,
    posted.map((a) => a.id),
  );
  // R13, R15
  const plan = planCancellation(
    actuals.map((a) => ({ id: a.id, billingStatus: a.billing_status })),
    balances.map((b) => ({
      actualId: b.actualId,
      quantity: quantity(b.quantity),
      amount: BigInt(b.amount),
    })),
    currencyExponent(contract.currency),
  );
  if ('refusal' in plan) throw invalidTransition(`entry ${entry.id}: ${plan.refusal}`);

  const reversed = actuals.filter((a) => plan.reverse.includes(a.id));
  await reverseActuals(ctx.db, reversed);
  await flagActualsAdjusted(ctx.db, contractId, plan.adjust);
  const updated = await markEntryCancelled(ctx.db, entry);
  await recordAudit(ctx.db, [
    {
      actor: ctx.actor,
      action: 'cancelApproval',
      entityType: 'Entry',
      entityId: entry.id,
      contractId,
      from: entry.status,
      to: move.to,
    },
    ...reversed.map((a) => ({
      actor: ctx.actor,
      action: 'cancelApproval',
      entityType: 'Actual',
      entityId: a.id,
      contractId,
      from: a.billing_status,
      to: 'Reversed',
    })),
  ]);
  return updated;
}
