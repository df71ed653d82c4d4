/**
 * R25: reset NTE. Each selected actual that is unbilled, chargeable, not on an invoice and
 * Committed or Failed goes to NotEvaluated, so its amount leaves `committed`; the others are
 * skipped (not failed). Answered per id in the order given. R28: a reset actual that was
 * ReadyToInvoice goes back to NotReadyToInvoice: it must be checked again before billing.
 */
import { nteActionSkipReason } from '../domain/nte.js';
import { recordAudit, type AuditEvent } from '../repositories/audit.js';
import type { UnbilledActualRow } from '../repositories/actuals.js';
import { lockActualsForNte, setActualsNteStatus } from '../repositories/backlog.js';
import { actualKind } from './backlogItems/actuals.js';
import { moveLocked } from './backlogItems/statusMove.js';
import { failed, skipped, succeeded, type BulkResult } from './bulk.js';
import type { CommandContext } from './context.js';

export async function resetNte(ctx: CommandContext, ids: readonly string[]): Promise<BulkResult[]> {
  const { rows } = await lockActualsForNte(ctx.db, ids);
  const outcomes = new Map<string, BulkResult>();
  const changes: { contractId: string; id: string }[] = [];
  const events: AuditEvent[] = [];
  const unready: UnbilledActualRow[] = [];
  for (const row of rows) {
    const reason = nteActionSkipReason('resetNte', {
      billingType: row.billing_type,
      billingStatus: row.billing_status ?? 'CustomerInvoicePosted',
      nteStatus: row.nte_status,
    });
    if (reason) {
      outcomes.set(row.id, skipped(row.id, row.nte_status, reason));
      continue;
    }
    outcomes.set(row.id, succeeded(row.id, 'NotEvaluated'));
    changes.push({ contractId: row.contract_id, id: row.id });
    if (row.billing_status === 'ReadyToInvoice') unready.push(row);
    events.push({
      actor: ctx.actor,
      action: 'resetNte',
      entityType: 'Actual',
      entityId: row.id,
      contractId: row.contract_id,
      from: row.nte_status,
      to: 'NotEvaluated',
    });
  }
  // Out of Ready first: the database refuses a ready actual that is NotEvaluated (R28).
  await moveLocked(ctx, actualKind, 'resetNte', unready);
  await setActualsNteStatus(ctx.db, changes, 'NotEvaluated', null);
  await recordAudit(ctx.db, events);
  return ids.map(
    (id) =>
      outcomes.get(id) ?? failed(id, 'NOT_FOUND', `${id} is not an unbilled actual in the backlog`),
  );
}
