/**
 * R26: re-evaluate NTE. Each selected actual that is unbilled, chargeable, not on an invoice
 * and NotEvaluated, Committed or Failed is evaluated by R21 with its own amount excluded from
 * `committed`, in the order date, creation time, id, each seeing the results before it.
 * A Failed evaluation is a result (`ok: true`), not a failed item; the others are skipped.
 * R28: an item that was ReadyToInvoice and now fails goes back to NotReadyToInvoice.
 */
import type { NteLevel, NteStatus } from '../db/schema.js';
import { assessCandidate, NteBook, nteActionSkipReason } from '../domain/nte.js';
import type { UnbilledActualRow } from '../repositories/actuals.js';
import { recordAudit, type AuditEvent } from '../repositories/audit.js';
import { lockActualsForNte, setActualsNteStatus } from '../repositories/backlog.js';
import { actualKind } from './backlogItems/actuals.js';
import { moveLocked } from './backlogItems/statusMove.js';
import { loadContracts } from '../repositories/contracts.js';
import { loadNteBooks, nteKeysOf } from '../repositories/nte.js';
import { failed, skipped, succeeded, type BulkResult } from './bulk.js';
import type { CommandContext } from './context.js';

/** R26: date, then creation time, then id. */
function evaluationOrder(a: UnbilledActualRow, b: UnbilledActualRow): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  const t = a.created_at.getTime() - b.created_at.getTime();
  if (t !== 0) return t;
  return BigInt(a.id) < BigInt(b.id) ? -1 : 1;
}

export async function reevaluateNte(
  ctx: CommandContext,
  ids: readonly string[],
): Promise<BulkResult[]> {
  const { contracts, rows } = await lockActualsForNte(ctx.db, ids);
  const outcomes = new Map<string, BulkResult>();
  const toEvaluate: UnbilledActualRow[] = [];
  for (const row of rows) {
    const reason = nteActionSkipReason('reevaluateNte', {
      billingType: row.billing_type,
      billingStatus: row.billing_status ?? 'CustomerInvoicePosted',
      nteStatus: row.nte_status,
    });
    if (reason) outcomes.set(row.id, skipped(row.id, row.nte_status, reason));
    else toEvaluate.push(row);
  }

  const books = await loadNteBooks(ctx.db, await loadContracts(ctx.db, contracts));
  const changes = new Map<string, { contractId: string; id: string }[]>();
  const unready: UnbilledActualRow[] = [];
  const events: AuditEvent[] = [];
  for (const row of toEvaluate.sort(evaluationOrder)) {
    const keys = nteKeysOf({
      contractId: row.contract_id,
      contractLineId: row.contract_line_id,
      lineCustomerId: row.line_customer_id,
      customerId: row.customer_id,
    });
    const amount = BigInt(row.amount);
    let book = books.get(row.contract_id) ?? NteBook.of({ limits: [] });
    // R26: its own amount is excluded from committed while it is judged.
    if (row.nte_status === 'Committed') book = book.withCommitted(keys, -amount);
    const outcome = assessCandidate(book, { keys, billingType: row.billing_type, amount });
    if (outcome.status === 'Committed') book = book.withCommitted(keys, amount);
    books.set(row.contract_id, book);

    outcomes.set(row.id, succeeded(row.id, outcome.status));
    const item = { contractId: row.contract_id, id: row.id };
    if (outcome.status !== row.nte_status || outcome.failedLevel !== row.nte_failed_level) {
      const key = `${outcome.status}:${outcome.failedLevel ?? ''}`;
      const list = changes.get(key) ?? [];
      list.push(item);
      changes.set(key, list);
      events.push({
        actor: ctx.actor,
        action: 'reevaluateNte',
        entityType: 'Actual',
        entityId: row.id,
        contractId: row.contract_id,
        from: row.nte_status,
        to: outcome.status,
      });
    }
    if (outcome.status === 'Failed' && row.billing_status === 'ReadyToInvoice') unready.push(row);
  }
  // Out of Ready first: the database refuses a ready actual that is Failed (R28).
  await moveLocked(ctx, actualKind, 'reevaluateNte', unready);
  for (const [key, items] of changes) {
    const [status, level] = key.split(':') as [NteStatus, string];
    await setActualsNteStatus(ctx.db, items, status, level ? (level as NteLevel) : null);
  }
  await recordAudit(ctx.db, events);
  return ids.map(
    (id) =>
      outcomes.get(id) ?? failed(id, 'NOT_FOUND', `${id} is not an unbilled actual in the backlog`),
  );
}
