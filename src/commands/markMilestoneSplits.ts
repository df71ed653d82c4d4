/**
 * Mark ready / not ready on milestone splits (R31, R33, R41), set-based like the T&M
 * action, answered per id in the order given (spec §5).
 */
import type { SplitBillingStatus } from '../db/schema.js';
import { markOutcome, type MarkAction } from '../domain/billing-status.js';
import { recordAudit, type AuditEvent } from '../repositories/audit.js';
import {
  lockMilestoneSplits,
  setMilestoneSplitsBillingStatus,
} from '../repositories/milestones.js';
import { failed, succeeded, type BulkResult } from './bulk.js';
import type { CommandContext } from './context.js';

export async function markMilestoneSplits(
  ctx: CommandContext,
  action: MarkAction,
  ids: readonly string[],
): Promise<BulkResult[]> {
  const rows = await lockMilestoneSplits(ctx.db, ids);
  const outcomes = new Map<string, BulkResult>();
  const changes = new Map<SplitBillingStatus, { contractId: string; id: string }[]>();
  const events: AuditEvent[] = [];
  for (const row of rows) {
    const outcome = markOutcome(action, row.billing_status);
    if (outcome.kind === 'refused') {
      outcomes.set(row.id, failed(row.id, outcome.code, outcome.message));
    } else if (outcome.kind === 'unchanged') {
      outcomes.set(row.id, succeeded(row.id, outcome.status));
    } else {
      // markOutcome only ever moves a split to ReadyToInvoice or NotReadyToInvoice.
      const to = outcome.to as SplitBillingStatus;
      outcomes.set(row.id, succeeded(row.id, to));
      const list = changes.get(to) ?? [];
      list.push({ contractId: row.contract_id, id: row.id });
      changes.set(to, list);
      events.push({
        actor: ctx.actor,
        action,
        entityType: 'MilestoneSplit',
        entityId: row.id,
        contractId: row.contract_id,
        from: row.billing_status,
        to,
      });
    }
  }
  for (const [to, items] of changes) await setMilestoneSplitsBillingStatus(ctx.db, items, to);
  await recordAudit(ctx.db, events);
  return ids.map(
    (id) => outcomes.get(id) ?? failed(id, 'NOT_FOUND', `${id} is not a milestone split`),
  );
}
