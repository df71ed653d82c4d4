/**
 * Retainers and advances (R50–R53): what is available to draw down.
 */
import type { BillingStatus } from '../db/schema.js';

export interface RetainerBalance {
  amount: bigint;
  usedAmount: bigint;
  billingStatus: BillingStatus;
}

/** R51: nothing is available until the invoice billing the retainer is confirmed. */
export function availableAmount(r: RetainerBalance): bigint {
  if (r.billingStatus !== 'CustomerInvoicePosted') return 0n;
  const left = r.amount - r.usedAmount;
  return left > 0n ? left : 0n;
}
