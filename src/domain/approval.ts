/**
 * What approving an entry writes to the ledger (R10, R11): the unbilled sales actuals, one
 * per line customer and billing type, each split exactly by R3.
 */
import type { BillingType } from './vocabulary.js';
import { extendAmount } from './money.js';
import { allocate, type SplitShare } from './split.js';

export interface ApprovalShare extends SplitShare {
  lineCustomerId: string;
  customerId: string;
}

export interface PlannedActual {
  lineCustomerId: string;
  customerId: string;
  billingType: BillingType;
  /** Hundredths. */
  quantity: bigint;
  /** Minor units of the contract currency. */
  amount: bigint;
}

export interface ApprovalInput {
  /** Submitted quantity, hundredths. */
  quantity: bigint;
  /** Billable quantity set by the approver, hundredths; defaults to the submitted one. */
  billableQuantity?: bigint;
  /** Unit price at UNIT_PRICE_SCALE. */
  unitPrice: bigint;
  exponent: number;
  shares: readonly ApprovalShare[];
}

/**
 * R11: below the submitted quantity the billable part is Chargeable and the rest
 * NonChargeable; above it, one Chargeable portion at the higher quantity.
 */
export function billablePortions(quantity: bigint, billable: bigint | undefined) {
  const b = billable ?? quantity;
  if (b >= quantity) return [{ billingType: 'Chargeable' as const, quantity: b }];
  return [
    { billingType: 'Chargeable' as const, quantity: b },
    { billingType: 'NonChargeable' as const, quantity: quantity - b },
  ].filter((p) => p.quantity > 0n);
}

export function planApprovalActuals(input: ApprovalInput): PlannedActual[] {
  const planned: PlannedActual[] = [];
  for (const portion of billablePortions(input.quantity, input.billableQuantity)) {
    const amount = extendAmount(portion.quantity, input.unitPrice, input.exponent);
    // R3: amounts and quantities both split by percentage, the rounding customer taking
    // the residue, so each set of parts sums exactly to the whole.
    const amounts = allocate(amount, input.shares);
    const quantities = allocate(portion.quantity, input.shares);
    input.shares.forEach((share, i) => {
      const q = quantities[i] ?? 0n;
      const a = amounts[i] ?? 0n;
      // A 0 % customer gets nothing to bill: no empty row in the ledger.
      if (q === 0n && a === 0n) return;
      planned.push({
        lineCustomerId: share.lineCustomerId,
        customerId: share.customerId,
        billingType: portion.billingType,
        quantity: q,
        amount: a,
      });
    });
  }
  return planned;
}
