/** Mark ready / not ready on T&M backlog rows (R24, R31, R33). */
import type { BillingStatus } from '../db/schema.js';
import type { MarkAction } from '../domain/billing-status.js';
import { lockBacklogActuals, setActualsBillingStatus } from '../repositories/backlog.js';
import type { BulkResult } from './bulk.js';
import type { CommandContext } from './context.js';
import { markBacklogItems, type MarkableKind } from './markBacklogItems.js';

const actuals: MarkableKind<BillingStatus> = {
  entityType: 'Actual',
  notFound: 'is not an unbilled actual in the backlog',
  lock: lockBacklogActuals,
  setStatus: setActualsBillingStatus,
};

export const markActuals = (
  ctx: CommandContext,
  action: MarkAction,
  ids: readonly string[],
): Promise<BulkResult[]> => markBacklogItems(ctx, actuals, action, ids);
