/**
 * Invoice money rules, pure (R61, R62, R65). Amounts are bigint minor units, quantities
 * bigint hundredths (QUANTITY_SCALE).
 */
import type { BillingType } from './vocabulary.js';
import { divRoundHalfUp } from './money.js';

/**
 * R62: a detail's amount at quantity q is round_half_up(originalAmount × q / Q), so a split
 * actual keeps its own share. A detail whose original quantity is 0 keeps its amount at 0
 * and can only stay at 0 (the caller refuses other quantities).
 */
export function detailAmountAt(
  originalAmount: bigint,
  originalQuantity: bigint,
  quantity: bigint,
): bigint {
  if (quantity === originalQuantity) return originalAmount;
  if (originalQuantity === 0n) return 0n;
  return divRoundHalfUp(originalAmount * quantity, originalQuantity);
}

/** R61: NonChargeable and Complimentary details are shown with their amount but add 0. */
export const countsInTotal = (billingType: BillingType): boolean => billingType === 'Chargeable';

export interface TotalsDetail {
  lineKey: string;
  amount: bigint;
  billingType: BillingType;
}

export interface InvoiceTotals {
  lines: Map<string, bigint>;
  subtotal: bigint;
  retainerApplied: bigint;
  total: bigint;
}

/** R61: total = chargeable subtotal − applied retainers. */
export function invoiceTotals(
  details: readonly TotalsDetail[],
  retainerApplied: bigint,
): InvoiceTotals {
  const lines = new Map<string, bigint>();
  let subtotal = 0n;
  for (const d of details) {
    const counted = countsInTotal(d.billingType) ? d.amount : 0n;
    lines.set(d.lineKey, (lines.get(d.lineKey) ?? 0n) + counted);
    subtotal += counted;
  }
  return { lines, subtotal, retainerApplied, total: subtotal - retainerApplied };
}

export interface PostingPart {
  billingType: BillingType;
  quantity: bigint;
  amount: bigint;
}

/**
 * R62: what confirming a T&M detail bills. Reduced from Q to q: q at the detail's billing
 * type and Q−q as NonChargeable, the two amounts summing exactly to the original amount.
 * Unchanged or increased: the detail's quantity and amount at its billing type.
 */
export function postingParts(d: {
  originalQuantity: bigint;
  quantity: bigint;
  originalAmount: bigint;
  amount: bigint;
  billingType: BillingType;
}): PostingPart[] {
  const parts: PostingPart[] = [
    { billingType: d.billingType, quantity: d.quantity, amount: d.amount },
  ];
  if (d.quantity < d.originalQuantity) {
    parts.push({
      billingType: 'NonChargeable',
      quantity: d.originalQuantity - d.quantity,
      amount: d.originalAmount - d.amount,
    });
  }
  return parts;
}

/**
 * R65: the credit for a detail that billed `billedQuantity` (net of earlier corrections)
 * and should have billed `shouldQuantity`: the negative differences of quantity and amount.
 */
export function creditDifference(d: {
  originalQuantity: bigint;
  originalAmount: bigint;
  billedQuantity: bigint;
  billedAmount: bigint;
  shouldQuantity: bigint;
}): { quantity: bigint; amount: bigint } {
  const shouldAmount =
    d.shouldQuantity === 0n
      ? 0n
      : detailAmountAt(d.originalAmount, d.originalQuantity, d.shouldQuantity);
  return { quantity: d.shouldQuantity - d.billedQuantity, amount: shouldAmount - d.billedAmount };
}
