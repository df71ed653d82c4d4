/** The totals every backlog view answers for its whole filter, per currency (spec §5). */

export interface CurrencyTotal {
  currency: string;
  count: number;
  /** Minor units of the currency. */
  amount: bigint;
}

/** A totals row as SQL answers it: counts and sums as text, so no bigint is rounded. */
export interface CurrencyTotalText {
  currency: string;
  count: string;
  amount: string;
}

/** Text totals → exact values, in currency order (the order every view answers). */
export function toCurrencyTotals(rows: readonly CurrencyTotalText[]): CurrencyTotal[] {
  return rows
    .map((r) => ({ currency: r.currency, count: Number(r.count), amount: BigInt(r.amount) }))
    .sort((x, y) => (x.currency < y.currency ? -1 : x.currency > y.currency ? 1 : 0));
}
