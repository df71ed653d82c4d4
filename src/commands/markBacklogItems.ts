/**
 * Mark ready / not ready (R24, R31, R33) on any kind of backlog item — T&M actuals,
 * milestone splits, retainers — set-based so that ten thousand ids cost a few statements,
 * answered per id in the order given (spec §5). Each kind says how its rows are locked
 * (in id order, so concurrent bulk actions never deadlock) and how their status is set.
 */
import type { BillingStatus, NteStatus } from '../db/schema.js';
import { markOutcome, type MarkAction } from '../domain/billing-status.js';
import { isId } from '../domain/ids.js';
import { recordAudit, type AuditEvent } from '../repositories/audit.js';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { failed, succeeded, type BulkResult } from './bulk.js';
import type { CommandContext } from './context.js';

export interface MarkableRow<S extends BillingStatus> {
  id: string;
  contract_id: string;
  billing_status: S;
  nte_status?: NteStatus | null;
}

export interface MarkableKind<S extends BillingStatus> {
  /** Audit entity type, e.g. `Actual`. */
  entityType: string;
  /** Completes "<id> …" for ids that name no item of this kind. */
  notFound: string;
  lock(db: Kysely<DB>, ids: readonly string[]): Promise<MarkableRow<S>[]>;
  setStatus(db: Kysely<DB>, items: { contractId: string; id: string }[], to: S): Promise<void>;
}

export async function markBacklogItems<S extends BillingStatus>(
  ctx: CommandContext,
  kind: MarkableKind<S>,
  action: MarkAction,
  ids: readonly string[],
): Promise<BulkResult[]> {
  const rows = await kind.lock(ctx.db, [...new Set(ids.filter(isId))]);
  const outcomes = new Map<string, BulkResult>();
  const changes = new Map<S, { contractId: string; id: string }[]>();
  const events: AuditEvent[] = [];
  for (const row of rows) {
    // R24 applies to T&M actuals only; milestones and retainers carry no NTE status (R27).
    const outcome = markOutcome(action, row.billing_status, {
      nteFailed: row.nte_status === 'Failed',
    });
    if (outcome.kind === 'refused') {
      outcomes.set(row.id, failed(row.id, outcome.code, outcome.message));
    } else if (outcome.kind === 'unchanged') {
      outcomes.set(row.id, succeeded(row.id, outcome.status));
    } else {
      // markOutcome only moves an item to ReadyToInvoice or NotReadyToInvoice, which every
      // kind's status set contains.
      const to = outcome.to as S;
      outcomes.set(row.id, succeeded(row.id, to));
      const list = changes.get(to) ?? [];
      list.push({ contractId: row.contract_id, id: row.id });
      changes.set(to, list);
      events.push({
        actor: ctx.actor,
        action,
        entityType: kind.entityType,
        entityId: row.id,
        contractId: row.contract_id,
        from: row.billing_status,
        to,
      });
    }
  }
  for (const [to, items] of changes) await kind.setStatus(ctx.db, items, to);
  await recordAudit(ctx.db, events);
  return ids.map((id) => outcomes.get(id) ?? failed(id, 'NOT_FOUND', `${id} ${kind.notFound}`));
}
