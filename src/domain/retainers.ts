/**
 * Retainers and advances (R50–R53): what is available to draw down.
 */
import type { BillingStatus } from './vocabulary.js';

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

export interface DrawableRetainer {
  id: string;
  /** What may still be drawn: amount − used − reserved on other drafts (R53). */
  available: bigint;
}

export interface RetainerDraw {
  retainerId: string;
  amount: bigint;
}

/**
 * R52: apply available retainers, oldest first (the caller orders them), to an invoice's
 * chargeable T&M and milestone total, never making the invoice negative. Retainers with
 * nothing to give, or left over once the total is covered, get no application.
 */
export function drawRetainers(
  chargeableTotal: bigint,
  retainers: readonly DrawableRetainer[],
): RetainerDraw[] {
  let remaining = chargeableTotal > 0n ? chargeableTotal : 0n;
  const draws: RetainerDraw[] = [];
  for (const r of retainers) {
    if (remaining === 0n) break;
    if (r.available <= 0n) continue;
    const amount = r.available < remaining ? r.available : remaining;
    draws.push({ retainerId: r.id, amount });
    remaining -= amount;
  }
  return draws;
}
