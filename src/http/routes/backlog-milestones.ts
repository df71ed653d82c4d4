import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { markItems } from '../../commands/backlogItems/statusMove.js';
import { inTransaction } from '../../db/transaction.js';
import { milestoneBacklog } from '../../views/milestone-backlog.js';
import { principalOf } from '../auth.js';
import { bulkIds } from '../../schemas/common.js';
import type { RouteDeps } from './deps.js';

export function fixedPriceMilestoneBacklogRoutes(app: FastifyInstance, { db }: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['fixed-price milestones backlog'];

  r.get(
    '/backlog/fixed-price-milestones',
    { config: { permission: 'read' }, schema: { tags, querystring: milestoneBacklog.query } },
    async (request) => milestoneBacklog.read(db, request.query),
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
