/**
 * Billing status transitions (R30–R33), shared by T&M actuals, milestone splits and
 * retainers. Pure: given an item's current status, what does an action do to it.
 */
import type { BillingStatus } from './vocabulary.js';

export type MarkAction = 'markReady' | 'markNotReady';

export type MarkOutcome =
  | { kind: 'change'; to: BillingStatus }
  | { kind: 'unchanged'; status: BillingStatus }
  | { kind: 'refused'; code: 'INVALID_TRANSITION' | 'NTE_FAILED'; message: string };

export const ON_INVOICE: readonly BillingStatus[] = [
  'CustomerInvoiceCreated',
  'CustomerInvoicePosted',
];

export function markOutcome(
  action: MarkAction,
  current: BillingStatus,
  opts: { nteFailed?: boolean } = {},
): MarkOutcome {
  // R33: items on a draft or posted invoice are out of the marking workflow.
  if (ON_INVOICE.includes(current)) {
    return {
      kind: 'refused',
      code: 'INVALID_TRANSITION',
      message: `the item is ${current}; remove it from its invoice first`,
    };
  }
  const target: BillingStatus = action === 'markReady' ? 'ReadyToInvoice' : 'NotReadyToInvoice';
  // R31: an item already in the target state succeeds unchanged.
  if (current === target) return { kind: 'unchanged', status: current };
  // R24: a Failed NTE blocks ready, never not-ready.
  if (action === 'markReady' && opts.nteFailed) {
    return {
      kind: 'refused',
      code: 'NTE_FAILED',
      message: 'the not-to-exceed check failed for this item; reset or re-evaluate NTE first',
    };
  }
  // R31: ready from UnbilledSalesCreated or NotReadyToInvoice; not ready from
  // ReadyToInvoice or UnbilledSalesCreated. Every non-invoice state is covered above.
  return { kind: 'change', to: target };
}
