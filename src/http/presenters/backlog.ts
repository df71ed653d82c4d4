import type { BacklogTotals } from '../../repositories/backlog.js';
import { money } from './money.js';

/**
 * Backlog totals for the whole filter (spec §5). `amount` is one currency's sum; it is null
 * when the rows span several currencies, and also when there are no rows (no currency to
 * state it in).
 */
export function presentTotals(t: BacklogTotals) {
  const byCurrency = t.byCurrency.map((c) => ({
    currency: c.currency,
    count: c.count,
    amount: money(c.amount, c.currency),
  }));
  return {
    count: t.count,
    amount: byCurrency.length === 1 ? (byCurrency[0]?.amount ?? null) : null,
    byCurrency,
  };
}
