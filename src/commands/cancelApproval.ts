import { invalidTransition, notFound } from '../domain/errors.js';
import { openActualsOfEntry, reverseActuals } from '../repositories/actuals.js';
import { recordAudit } from '../repositories/audit.js';
import { findContractRow } from '../repositories/contracts.js';
import { findEntry, findEntryContractId, type EntryRow } from '../repositories/entries.js';
import type { CommandContext } from './context.js';

/**
 * R13: reverses the approval's actuals and takes them out of the backlog; refused once any
 * of them is on a draft or posted invoice. The entry returns to Submitted, so it can be
 * approved again (with another billable quantity, say).
 */
export async function cancelApproval(ctx: CommandContext, entryId: string): Promise<EntryRow> {
  const contractId = await findEntryContractId(ctx.db, entryId);
  if (!contractId) throw notFound('entry', entryId);
  await findContractRow(ctx.db, contractId, { forUpdate: true });
  const entry = await findEntry(ctx.db, entryId, { forUpdate: true });
  if (!entry) throw notFound('entry', entryId);
  if (entry.status !== 'Approved') {
    throw invalidTransition(
      `entry ${entry.id} is ${entry.status}; only an approved entry can have its approval cancelled`,
    );
  }
  const actuals = await openActualsOfEntry(ctx.db, contractId, entry.id);
  const invoiced = actuals.filter(
    (a) =>
      a.billing_status === 'CustomerInvoiceCreated' || a.billing_status === 'CustomerInvoicePosted',
  );
  if (invoiced.length > 0) {
    throw invalidTransition(
      `entry ${entry.id} is on an invoice (actuals ${invoiced.map((a) => a.id).join(', ')}); remove it from the draft or correct the invoice first`,
    );
  }
  await reverseActuals(ctx.db, actuals);
  if (actuals.length > 0) {
    await ctx.db
      .updateTable('actuals')
      .set({ adjusted: true })
      .where('contract_id', '=', contractId)
      .where(
        'id',
        'in',
        actuals.map((a) => a.id),
      )
      .execute();
  }
  const updated = await ctx.db
    .updateTable('entries')
    .set({ status: 'Submitted', billable_quantity: null, approved_at: null })
    .where('contract_id', '=', contractId)
    .where('id', '=', entry.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(ctx.db, [
    {
      actor: ctx.actor,
      action: 'cancelApproval',
      entityType: 'Entry',
      entityId: entry.id,
      contractId,
      from: 'Approved',
      to: 'Submitted',
    },
    ...actuals.map((a) => ({
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
