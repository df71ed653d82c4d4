/**
 * Approving one entry (R10, R11, R14, R23): the bulk approval with one entry, so both
 * endpoints share one code path (approveEntries.ts). Runs in the caller's transaction.
 */
import { approveEntries, type ApprovalResult, type ApproveEntryInput } from './approveEntries.js';
import type { CommandContext } from './context.js';

export type { ApprovalResult, ApproveEntryInput } from './approveEntries.js';

/** Throws the entry's DomainError (NOT_FOUND, INVALID_TRANSITION) when it cannot be approved. */
export async function approveEntry(
  ctx: CommandContext,
  input: ApproveEntryInput,
): Promise<ApprovalResult> {
  const [outcome] = await approveEntries(ctx, [input]);
  if (!outcome) throw new Error('approveEntries answered no outcome');
  if (!outcome.ok) throw outcome.error;
  return outcome.result;
}
