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

export interface DrawnRetainer {
  id: string;
  /** What the corrected invoice still draws from it (net of confirmed corrections). */
  drawn: bigint;
}

/**
 * R65 + R52: what a correction gives back. The corrected invoice keeps as much of its draw
 * as its chargeable T&M and milestone total after the correction can carry; the excess goes
 * back newest retainer first (the caller orders them oldest first). Never more than drawn.
 */
export function giveBackRetainers(
  chargeableTotalAfter: bigint,
  retainers: readonly DrawnRetainer[],
): RetainerDraw[] {
  const drawn = retainers.reduce((s, r) => s + (r.drawn > 0n ? r.drawn : 0n), 0n);
  let excess = drawn - (chargeableTotalAfter > 0n ? chargeableTotalAfter : 0n);
  const out: RetainerDraw[] = [];
  for (const r of [...retainers].reverse()) {
    if (excess <= 0n) break;
    if (r.drawn <= 0n) continue;
    const amount = r.drawn < excess ? r.drawn : excess;
    out.push({ retainerId: r.id, amount });
    excess -= amount;
  }
  return out.reverse();
}
