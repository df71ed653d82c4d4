/** Mark ready / not ready on retainers and advances (R31, R33, R50). */
import type { BillingStatus } from '../db/schema.js';
import type { MarkAction } from '../domain/billing-status.js';
import { lockRetainers, setRetainersBillingStatus } from '../repositories/retainers.js';
import type { BulkResult } from './bulk.js';
import type { CommandContext } from './context.js';
import { markBacklogItems, type MarkableKind } from './markBacklogItems.js';

const retainers: MarkableKind<BillingStatus> = {
  entityType: 'Retainer',
  notFound: 'is not a retainer or advance',
  lock: lockRetainers,
  setStatus: setRetainersBillingStatus,
};

export const markRetainers = (
  ctx: CommandContext,
  action: MarkAction,
  ids: readonly string[],
): Promise<BulkResult[]> => markBacklogItems(ctx, retainers, action, ids);
