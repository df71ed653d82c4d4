/**
 * R16: a Submitted entry is rejected with a reason. It creates nothing in the ledger and can
 * no longer be approved. Rejecting an entry that is not Submitted is INVALID_TRANSITION.
 */
import { entryTransition } from '../domain/entries.js';
import { invalidTransition, notFound } from '../domain/errors.js';
import { recordAudit } from '../repositories/audit.js';
import { findEntry, markEntryRejected, type EntryRow } from '../repositories/entries.js';
import type { CommandContext } from './context.js';

export interface RejectEntryInput {
  entryId: string;
  /** 1..500 characters, trimmed by the request schema. */
  reason: string;
}

export async function rejectEntry(ctx: CommandContext, input: RejectEntryInput): Promise<EntryRow> {
  // Only the entry's own row lock: an approval of it (which locks the contract, then the
  // entry) waits for this one or sees it Rejected, never the other way round.
  const entry = await findEntry(ctx.db, input.entryId, { forUpdate: true });
  if (!entry) throw notFound('entry', input.entryId);
  const move = entryTransition('reject', entry);
  if ('refusal' in move) throw invalidTransition(move.refusal);
  const rejected = await markEntryRejected(ctx.db, entry, input.reason);
  // R35: the move is audited; the reason stays on the entry, which never changes again.
  await recordAudit(ctx.db, [
    {
      actor: ctx.actor,
      action: 'rejectEntry',
      entityType: 'Entry',
      entityId: entry.id,
      contractId: entry.contract_id,
      from: entry.status,
      to: move.to,
    },
  ]);
  return rejected;
}
