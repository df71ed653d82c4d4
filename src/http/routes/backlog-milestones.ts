import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { markItems } from '../../commands/backlogItems/statusMove.js';
import type { DB } from '../../db/schema.js';
import { inTransaction } from '../../db/transaction.js';
import {
  listMilestoneBacklog,
  milestoneBacklogTotals,
  splitStatusesOf,
  type MilestoneBacklogRow,
} from '../../repositories/backlog-milestones.js';
import { principalOf } from '../auth.js';
import { presentMilestoneBacklogRow } from '../presenters/milestone.js';
import { money } from '../presenters/money.js';
import { bulkIds } from '../schemas/common.js';
import { milestoneBacklogQuery } from '../schemas/milestones.js';
import type { RouteDeps } from './deps.js';

/** One page of splits as the view shows them (the CLI export writes the same). */
export async function presentMilestoneBacklogRows(
  db: Kysely<DB>,
  rows: readonly MilestoneBacklogRow[],
) {
  const statuses = await splitStatusesOf(db, rows);
  return rows.map((row) => presentMilestoneBacklogRow(row, statuses.get(row.milestone_id) ?? []));
}

export function fixedPriceMilestoneBacklogRoutes(app: FastifyInstance, { db }: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['fixed-price milestones backlog'];

  r.get(
    '/backlog/fixed-price-milestones',
    { config: { permission: 'read' }, schema: { tags, querystring: milestoneBacklogQuery } },
    async (request) => {
      const q = request.query;
      const [page, totals] = await Promise.all([
        listMilestoneBacklog(db, q),
        milestoneBacklogTotals(db, q),
      ]);
      const byCurrency = totals.byCurrency.map((t) => ({
        currency: t.currency,
        count: t.count,
        amount: money(t.amount, t.currency),
      }));
      return {
        items: await presentMilestoneBacklogRows(db, page.items),
        nextCursor: page.nextCursor,
        totals: {
          count: byCurrency.reduce((n, t) => n + t.count, 0),
          // Spec §5: one sum only when every row is in one currency.
          amount:
            byCurrency.length === 1
              ? (byCurrency[0]?.amount ?? null)
              : byCurrency.length === 0
                ? '0'
                : null,
          byCurrency,
        },
      };
    },
  );

  for (const [path, action] of [
    ['/backlog/fixed-price-milestones/mark-ready', 'markReady'],
    ['/backlog/fixed-price-milestones/mark-not-ready', 'markNotReady'],
  ] as const) {
    r.post(
      path,
      { config: { permission: 'bill' }, schema: { tags, body: bulkIds } },
      async (request) => {
        const { actor } = principalOf(request);
        const results = await inTransaction(db, (trx) =>
          markItems({ db: trx, actor }, 'MilestoneSplit', action, request.body.ids),
        );
        return { results };
      },
    );
  }
}
