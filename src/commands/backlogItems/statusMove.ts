/**
 * The one audited status move (R30–R35) for every kind of backlog item: lock → check by the
 * transition table → set status → audit. Marks (R31) answer per item; invoice actions
 * (R32, R63, R65) and NTE actions (R28) need every item to move.
 */
import { statusOutcome, type MarkAction, type StatusAction } from '../../domain/billing-status.js';
import { isId } from '../../domain/ids.js';
import type { BillingStatus, SourceType } from '../../domain/vocabulary.js';
import { recordAudit } from '../../repositories/audit.js';
import { failed, succeeded, type BulkResult } from '../bulk.js';
import type { CommandContext } from '../context.js';
import type { BacklogItemKind, ItemRef, ItemRow } from './kind.js';
import { kindOf } from './registry.js';

interface Move<Row extends ItemRow> {
  row: Row;
  to: BillingStatus;
  invoiceId: string | null;
}

/**
 * Stores and audits moves of rows this transaction has locked: one statement per target
 * status (and per invoice, for a kind that stores the invoice on the item).
 */
async function applyMoves<Row extends ItemRow>(
  ctx: CommandContext,
  kind: BacklogItemKind<Row>,
  action: StatusAction,
  moves: readonly Move<Row>[],
): Promise<void> {
  const groups = new Map<
    string,
    { to: BillingStatus; invoiceId: string | null; items: ItemRef[] }
  >();
  for (const m of moves) {
    const key = kind.storesInvoiceId ? `${m.to}/${m.invoiceId}` : m.to;
    const group = groups.get(key) ?? { to: m.to, invoiceId: m.invoiceId, items: [] };
    group.items.push({ contractId: m.row.contract_id, id: m.row.id });
    groups.set(key, group);
  }
  for (const { to, invoiceId, items } of groups.values()) {
    await kind.setStatus(ctx.db, items, to, invoiceId);
  }
  // R35: every status change is an audit event.
  await recordAudit(
    ctx.db,
    moves.map((m) => ({
      actor: ctx.actor,
      action,
      entityType: kind.type,
      entityId: m.row.id,
      contractId: m.row.contract_id,
      from: m.row.billing_status,
      to: m.to,
    })),
  );
}

/**
 * Moves every one of `rows` (already locked by this transaction) by `action`. Used by the
 * invoice and NTE commands, whose locks and the R67 index make a refusal unreachable: one
 * fails loudly rather than leaving an item behind.
 */
export async function moveLocked<Row extends ItemRow>(
  ctx: CommandContext,
  kind: BacklogItemKind<Row>,
  action: StatusAction,
  rows: readonly Row[],
  invoiceId: string | null = null,
): Promise<void> {
  await moveLockedOnto(ctx, kind, action, [{ invoiceId, rows }]);
}

/** `moveLocked` for the items of several drafts at once, each group onto its own invoice. */
export async function moveLockedOnto<Row extends ItemRow>(
  ctx: CommandContext,
  kind: BacklogItemKind<Row>,
  action: StatusAction,
  groups: readonly { invoiceId: string | null; rows: readonly Row[] }[],
): Promise<void> {
  const moves = groups.flatMap(({ invoiceId, rows }) =>
    rows.map((row): Move<Row> => {
      const outcome = statusOutcome(action, statusOf(row), row.nte_status ?? null);
      if (outcome.kind !== 'change') {
        throw new Error(`${kind.type} ${row.id} cannot ${action}: ${JSON.stringify(outcome)}`);
      }
      return { row, to: outcome.to, invoiceId };
    }),
  );
  await applyMoves(ctx, kind, action, moves);
}

/** Locks the items of one contract, then moves them all (see `moveLocked`); answers the rows. */
export async function moveItems<Row extends ItemRow>(
  ctx: CommandContext,
  kind: BacklogItemKind<Row>,
  action: StatusAction,
  contractId: string,
  ids: readonly string[],
  invoiceId: string | null = null,
): Promise<Row[]> {
  const rows = await kind.lock(ctx.db, ids, contractId);
  if (rows.length !== new Set(ids).size) {
    throw new Error(`${kind.type} items ${ids.join(', ')} are not all on contract ${contractId}`);
  }
  await moveLocked(ctx, kind, action, rows, invoiceId);
  return rows;
}

/**
 * R24, R28, R31, R33: mark ready / not ready on many items of one kind, set-based so ten
 * thousand ids cost a few statements, answered per id in the order given (spec §5).
 */
export async function markItems(
  ctx: CommandContext,
  type: SourceType,
  action: MarkAction,
  ids: readonly string[],
): Promise<BulkResult[]> {
  const kind = kindOf(type);
  const rows = await kind.lock(ctx.db, [...new Set(ids.filter(isId))]);
  const outcomes = new Map<string, BulkResult>();
  const moves: Move<ItemRow>[] = [];
  for (const row of rows) {
    const outcome = statusOutcome(action, statusOf(row), row.nte_status ?? null);
    if (outcome.kind === 'refused') {
      outcomes.set(row.id, failed(row.id, outcome.code, outcome.message));
    } else if (outcome.kind === 'unchanged') {
      outcomes.set(row.id, succeeded(row.id, outcome.status));
    } else {
      outcomes.set(row.id, succeeded(row.id, outcome.to));
      moves.push({ row, to: outcome.to, invoiceId: null });
    }
  }
  await applyMoves(ctx, kind, action, moves);
  return ids.map((id) => outcomes.get(id) ?? failed(id, 'NOT_FOUND', `${id} ${kind.notFound}`));
}

function statusOf(row: ItemRow): BillingStatus {
  // Every kind's lock answers only rows with a billing status (live backlog items).
  if (row.billing_status === null) throw new Error(`item ${row.id} has no billing status`);
  return row.billing_status;
}
