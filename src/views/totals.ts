/**
 * The totals of a backlog view's whole filter (spec §5), one presenter for every view:
 * `{count, amount, byCurrency: [{currency, count, amount}]}`. A view may total more sums
 * than `amount` (the retainer views add `availableAmount`); each follows the same rule.
 */
import type { CurrencyTotal } from '../repositories/totals.js';
import { money } from './presenters/money.js';

export interface Totals {
  count: number;
  /** One currency's sum; null across several currencies, "0" for no rows. */
  amount: string | null;
  byCurrency: { currency: string; count: number; amount: string }[];
}

export function presentTotals<K extends string = never>(
  rows: readonly (CurrencyTotal & Record<K, bigint>)[],
  extraSums: readonly K[] = [],
): Totals & Record<K, string | null> {
  const byCurrency = rows.map((r) => ({
    currency: r.currency,
    count: r.count,
    amount: money(r.amount, r.currency),
    ...(Object.fromEntries(extraSums.map((k) => [k, money(r[k], r.currency)])) as Record<
      K,
      string
    >),
  }));
  // Spec §5: a sum is stated only in one currency: null across several, "0" for no rows
  // (in every view: an empty filter is not an error, and zero is zero in any currency).
  const whole = (sum: 'amount' | K): string | null =>
    byCurrency.length === 0 ? '0' : byCurrency.length === 1 ? (byCurrency[0]?.[sum] ?? null) : null;
  return {
    count: byCurrency.reduce((n, c) => n + c.count, 0),
    amount: whole('amount'),
    ...(Object.fromEntries(extraSums.map((k) => [k, whole(k)])) as Record<K, string | null>),
    byCurrency,
  };
}
