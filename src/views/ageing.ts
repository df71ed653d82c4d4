/**
 * The backlog ageing report (spec §5 `GET /reports/backlog-ageing`): the T&M view's filters,
 * `asOf` (default today) and `include=milestones`; every sum comes from the database
 * (src/repositories/ageing.ts), this module only shapes them.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema.js';
import { AGEING_BUCKET_LABELS, type AgeingBucket } from '../domain/ageing.js';
import { readBacklogAgeing, type AgeingSum } from '../repositories/ageing.js';
import { isoDate } from '../schemas/common.js';
import { listSchemas } from './lists.js';
import { money } from './presenters/money.js';
import { tmBacklogFilterShape } from './tm-backlog.js';

export const { filters: backlogAgeingQuery } = listSchemas({
  ...tmBacklogFilterShape,
  asOf: isoDate.optional().meta({ description: 'the report date; default today (UTC)' }),
  include: z
    .enum(['milestones'])
    .optional()
    .meta({ description: '`milestones` adds the open milestone splits' }),
});

export type BacklogAgeingQuery = z.output<typeof backlogAgeingQuery>;

const today = () => new Date().toISOString().slice(0, 10);

type Amounts = Record<AgeingBucket, string>;

interface Line {
  amounts: Amounts;
  total: string;
}

/** Every bucket named, zero where nothing is that old, so a client needs no defaults. */
function line(sums: readonly AgeingSum[], currency: string): Line {
  const amounts = Object.fromEntries(
    AGEING_BUCKET_LABELS.map((b) => [b, money(0n, currency)]),
  ) as Amounts;
  let total = money(0n, currency);
  for (const s of sums) {
    if (s.bucket === null) total = money(s.amount, currency);
    else amounts[s.bucket] = money(s.amount, currency);
  }
  return { amounts, total };
}

export async function backlogAgeing(db: Kysely<DB>, q: BacklogAgeingQuery) {
  const asOf = q.asOf ?? today();
  const { include, ...filters } = q;
  const sums = await readBacklogAgeing(db, {
    ...filters,
    asOf,
    includeMilestones: include === 'milestones',
  });
  // The statement answers in currency, then customer-name order; group without reordering.
  const groups = new Map<string, AgeingSum[]>();
  for (const s of sums) {
    const key = `${s.currency}\u0000${s.customerId ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const rows = [];
  const totals = [];
  for (const group of groups.values()) {
    const first = group[0];
    if (!first) continue;
    const { currency, customerId, customerName } = first;
    if (customerId === null) totals.push({ currency, ...line(group, currency) });
    else
      rows.push({
        currency,
        customerId,
        customerName: customerName ?? '',
        ...line(group, currency),
      });
  }
  return { asOf, buckets: AGEING_BUCKET_LABELS, rows, totals };
}
