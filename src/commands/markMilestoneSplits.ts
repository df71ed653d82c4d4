/** Mark ready / not ready on milestone splits (R31, R33, R41). */
import type { SplitBillingStatus } from '../db/schema.js';
import type { MarkAction } from '../domain/billing-status.js';
import {
  lockMilestoneSplits,
  setMilestoneSplitsBillingStatus,
} from '../repositories/milestones.js';
import type { BulkResult } from './bulk.js';
import type { CommandContext } from './context.js';
import { markBacklogItems, type MarkableKind } from './markBacklogItems.js';

const milestoneSplits: MarkableKind<SplitBillingStatus> = {
  entityType: 'MilestoneSplit',
  notFound: 'is not a milestone split',
  lock: lockMilestoneSplits,
  setStatus: (db, items, to) => setMilestoneSplitsBillingStatus(db, items, to),
};

export const markMilestoneSplits = (
  ctx: CommandContext,
  action: MarkAction,
  ids: readonly string[],
): Promise<BulkResult[]> => markBacklogItems(ctx, milestoneSplits, action, ids);
