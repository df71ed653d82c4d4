/**
 * Backlog ageing: unbilled amounts by age bucket and customer, per currency. Sums are exact
 * (decimal strings added in bigint units); the chart reads numbers only to draw bars.
 */
import { daysBetween } from './dates.js';
import { sumDecimals } from './decimal.js';

export const AGE_BUCKETS = [
  { key: '0-30', label: '0–30 days', max: 30 },
  { key: '31-60', label: '31–60 days', max: 60 },
  { key: '61-90', label: '61–90 days', max: 90 },
  { key: '91-180', label: '91–180 days', max: 180 },
  { key: '180+', label: 'Over 180 days', max: Infinity },
] as const;

export interface AgeingItem {
  date: string;
  customerId: string;
  currency: string;
  amount: string;
}

export interface AgeingTable {
  currency: string;
  customers: string[];
  /** One row per bucket: amount per customer (exact decimal strings) and the bucket total. */
  rows: { bucket: string; label: string; byCustomer: Record<string, string>; total: string }[];
  total: string;
}

export function bucketOf(ageDays: number): string {
  return (AGE_BUCKETS.find((b) => ageDays <= b.max) ?? AGE_BUCKETS[AGE_BUCKETS.length - 1]!).key;
}

/** Items dated after `today` are not yet due and stay out of the ageing. */
export function ageing(items: readonly AgeingItem[], today: string): AgeingTable[] {
  const byCurrency = new Map<string, AgeingItem[]>();
  for (const item of items) {
    if (item.date > today) continue;
    byCurrency.set(item.currency, [...(byCurrency.get(item.currency) ?? []), item]);
  }
  return [...byCurrency.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, list]) => {
      const customers = [...new Set(list.map((i) => i.customerId))];
      const rows = AGE_BUCKETS.map((b) => {
        const inBucket = list.filter((i) => bucketOf(daysBetween(i.date, today)) === b.key);
        const byCustomer: Record<string, string> = {};
        for (const c of customers) {
          const amounts = inBucket.filter((i) => i.customerId === c).map((i) => i.amount);
          if (amounts.length > 0) byCustomer[c] = sumDecimals(amounts);
        }
        return {
          bucket: b.key,
          label: b.label,
          byCustomer,
          total: sumDecimals(inBucket.map((i) => i.amount)),
        };
      });
      return { currency, customers, rows, total: sumDecimals(list.map((i) => i.amount)) };
    });
}
