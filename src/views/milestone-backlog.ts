/**
 * The Fixed Price Milestones view (spec §1, §5): one row per milestone split, with the
 * milestone's header status and the totals of the whole filter. The route and the CLI export
 * both read it from here.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema.js';
import { SPLIT_BILLING_STATUSES } from '../domain/vocabulary.js';
import {
  listMilestoneBacklog,
  MILESTONE_SORTS,
  milestoneBacklogTotals,
  splitStatusesOf,
  type MilestoneBacklogRow,
} from '../repositories/backlog-milestones.js';
import { idFilter, listSchemas, repeatable, type BacklogView, type PageRequest } from './lists.js';
import { presentMilestoneBacklogRow } from './presenters/milestone.js';
import { isoDate } from '../schemas/common.js';
import { presentTotals } from './totals.js';
import { lookUpNames, named, namedIdsOf } from './names.js';

/** The view's filters (also the CLI export's options) and its API query. */
export const { filters: milestoneBacklogFilters, query: milestoneBacklogQuery } = listSchemas({
  contractId: idFilter,
  contractLineId: idFilter,
  customerId: idFilter,
  billingStatus: repeatable(z.enum(SPLIT_BILLING_STATUSES)),
  dateFrom: isoDate.optional(),
  dateTo: isoDate.optional(),
  sort: z.enum(MILESTONE_SORTS).default('date'),
});

export type MilestoneBacklogFilters = z.output<typeof milestoneBacklogFilters>;

/** One page of splits as the view shows them, each with its milestone's header (R42). */
async function presentRows(db: Kysely<DB>, rows: readonly MilestoneBacklogRow[]) {
  const [statuses, names] = await Promise.all([
    splitStatusesOf(db, rows),
    lookUpNames(db, rows.map(namedIdsOf)),
  ]);
  return rows.map((row) =>
    named(presentMilestoneBacklogRow(row, statuses.get(row.milestone_id) ?? []), names),
  );
}

export type MilestoneBacklogItem = Awaited<ReturnType<typeof presentRows>>[number];

async function list(db: Kysely<DB>, q: MilestoneBacklogFilters & PageRequest) {
  const page = await listMilestoneBacklog(db, q);
  return { items: await presentRows(db, page.items), nextCursor: page.nextCursor };
}

export const milestoneBacklog = {
  filters: milestoneBacklogFilters,
  query: milestoneBacklogQuery,
  list,
  async read(db: Kysely<DB>, q: MilestoneBacklogFilters & PageRequest) {
    const [page, totals] = await Promise.all([list(db, q), milestoneBacklogTotals(db, q)]);
    return { ...page, totals: presentTotals(totals) };
  },
} satisfies BacklogView<typeof milestoneBacklogFilters, MilestoneBacklogItem>;
