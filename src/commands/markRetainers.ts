/**
 * Mark ready / not ready on retainers and advances (R31, R33), set-based like the T&M
 * backlog, answered per id in the order given.
 */
import type { BillingStatus } from '../db/schema.js';
import { markOutcome, type MarkAction } from '../domain/billing-status.js';
import { isId } from '../domain/ids.js';
import { recordAudit, type AuditEvent } from '../repositories/audit.js';
import { lockRetainers, setRetainersBillingStatus } from '../repositories/retainers.js';
import { failed, succeeded, type BulkResult } from './bulk.js';
import type { CommandContext } from './context.js';

export async function markRetainers(
  ctx: CommandContext,
  action: MarkAction,
  ids: readonly string[],
): Promise<BulkResult[]> {
  const wanted = [...new Set(ids.filter(isId))];
  const rows = await lockRetainers(ctx.db, wanted);
  const outcomes = new Map<string, BulkResult>();
  const changes = new Map<BillingStatus, { contractId: string; id: string }[]>();
  const events: AuditEvent[] = [];
  for (const row of rows) {
    // R27: retainers have no NTE status, so only R31/R33 decide.
    const outcome = markOutcome(action, row.billing_status);
    if (outcome.kind === 'refused') {
      outcomes.set(row.id, failed(row.id, outcome.code, outcome.message));
    } else if (outcome.kind === 'unchanged') {
      outcomes.set(row.id, succeeded(row.id, outcome.status));
    } else {
      outcomes.set(row.id, succeeded(row.id, outcome.to));
      const list = changes.get(outcome.to) ?? [];
      list.push({ contractId: row.contract_id, id: row.id });
      changes.set(outcome.to, list);
      events.push({
        actor: ctx.actor,
        action,
        entityType: 'Retainer',
        entityId: row.id,
        contractId: row.contract_id,
        from: row.billing_status,
        to: outcome.to,
      });
    }
  }
  for (const [to, items] of changes) await setRetainersBillingStatus(ctx.db, items, to);
  await recordAudit(ctx.db, events);
  return ids.map(
    (id) => outcomes.get(id) ?? failed(id, 'NOT_FOUND', `${id} is not a retainer or advance`),
  );
}
