/**
 * R74: an invoice's tax totals as EN 16931 computes them, in bigint minor units (R1).
 *
 * Details are grouped by (category, rate); a group's taxable amount is its chargeable detail
 * amounts minus the retainer applications assigned to it, and its tax is that amount times
 * the rate, rounded half away from zero to the minor unit, so the tax of a correction is
 * exactly the negative of the tax it credits. Details and applications without a tax code
 * form the group without tax: it counts in the total but carries no tax and is not a line
 * of the breakdown (EN 16931 has no category for "no tax code"; R81 refuses to send one).
 *
 * Rates are percents in hundredths (19.00 % = 1900n), so tax = taxable × rate / 10 000.
 */
import { divRoundHalfUp } from './money.js';
import { VAT_CATEGORIES, type VatCategory } from './vocabulary.js';

/** The tax group of a detail or retainer application: its tax code's category and rate. */
export interface TaxGroup {
  category: VatCategory;
  /** Percent in hundredths (19.00 % = 1900n). */
  rate: bigint;
  /** Shown on the group's breakdown line (R78); the first one given in a group is kept. */
  exemptionReason?: string | null;
}

/** A chargeable detail (non-chargeable and complimentary details add nothing, R61). */
export interface TaxedAmount {
  amount: bigint;
  /** null: no tax code, the group without tax (R73). */
  taxGroup: TaxGroup | null;
}

export interface TaxBreakdownLine {
  category: VatCategory;
  rate: bigint;
  taxableAmount: bigint;
  taxAmount: bigint;
  exemptionReason?: string;
}

export interface TaxTotals {
  /** One line per (category, rate), in VAT_CATEGORIES order, higher rates first. */
  taxBreakdown: TaxBreakdownLine[];
  /** The group without tax: chargeable amounts without a code minus the retainers applied to it. */
  amountWithoutTaxCode: bigint;
  taxTotal: bigint;
  /** R61's `total` (chargeable subtotal − applied retainers) + taxTotal: the amount due. */
  totalWithTax: bigint;
}

const PERCENT_HUNDREDTHS = 10_000n;

/** R74: round_half_up(taxable × rate / 100), halves away from zero. */
export function taxOf(taxableAmount: bigint, rate: bigint): bigint {
  return divRoundHalfUp(taxableAmount * rate, PERCENT_HUNDREDTHS);
}

const keyOf = (g: TaxGroup | null): string => (g ? `${g.category}|${g.rate}` : '');

const sameGroup = (a: TaxGroup | null, b: TaxGroup | null): boolean => keyOf(a) === keyOf(b);

const sum = (xs: readonly TaxedAmount[]): bigint => xs.reduce((s, x) => s + x.amount, 0n);

/**
 * R74 with R52: the most the retainer applications assigned to `group` may apply in all,
 * less what `alreadyApplied` of them took: that group's chargeable amount, so no group's
 * taxable amount is ever negative. Never below 0.
 */
export function retainerApplicationCap(
  details: readonly TaxedAmount[],
  alreadyApplied: readonly TaxedAmount[],
  group: TaxGroup | null,
): bigint {
  const chargeable = sum(details.filter((d) => sameGroup(d.taxGroup, group)));
  const applied = sum(alreadyApplied.filter((a) => sameGroup(a.taxGroup, group)));
  const left = chargeable - applied;
  return left > 0n ? left : 0n;
}

interface GroupSum {
  group: TaxGroup;
  taxable: bigint;
  exemptionReason: string | null;
}

/** R74: the tax breakdown and totals of one invoice. */
export function taxTotals(
  details: readonly TaxedAmount[],
  retainerApplications: readonly TaxedAmount[],
): TaxTotals {
  const groups = new Map<string, GroupSum>();
  let amountWithoutTaxCode = 0n;
  const add = (x: TaxedAmount, sign: 1n | -1n) => {
    if (!x.taxGroup) {
      amountWithoutTaxCode += sign * x.amount;
      return;
    }
    const key = keyOf(x.taxGroup);
    const g = groups.get(key) ?? { group: x.taxGroup, taxable: 0n, exemptionReason: null };
    g.taxable += sign * x.amount;
    g.exemptionReason ??= x.taxGroup.exemptionReason ?? null;
    groups.set(key, g);
  };
  for (const d of details) add(d, 1n);
  for (const a of retainerApplications) add(a, -1n);

  const taxBreakdown = [...groups.values()]
    .sort(
      (a, b) =>
        VAT_CATEGORIES.indexOf(a.group.category) - VAT_CATEGORIES.indexOf(b.group.category) ||
        (a.group.rate > b.group.rate ? -1 : a.group.rate < b.group.rate ? 1 : 0),
    )
    .map((g): TaxBreakdownLine => ({
      category: g.group.category,
      rate: g.group.rate,
      taxableAmount: g.taxable,
      taxAmount: taxOf(g.taxable, g.group.rate),
      ...(g.exemptionReason === null ? {} : { exemptionReason: g.exemptionReason }),
    }));
  const taxTotal = taxBreakdown.reduce((s, l) => s + l.taxAmount, 0n);
  const total = sum(details) - sum(retainerApplications);
  return { taxBreakdown, amountWithoutTaxCode, taxTotal, totalWithTax: total + taxTotal };
}
