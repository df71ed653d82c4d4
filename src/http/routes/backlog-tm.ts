import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { reevaluateNte } from '../../commands/reevaluateNte.js';
import { resetNte } from '../../commands/resetNte.js';
import { inTransaction } from '../../db/transaction.js';
import { tmBacklog } from '../../views/tm-backlog.js';
import { principalOf } from '../auth.js';
import { bulkIds } from '../../schemas/common.js';
import { markRoutes } from './backlog-marks.js';
import type { RouteDeps } from './deps.js';

export function timeAndMaterialBacklogRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['time-and-material backlog'];

  r.get(
    '/backlog/time-and-material',
    { config: { permission: 'read' }, schema: { tags, querystring: tmBacklog.query } },
    async (request) => tmBacklog.read(db, request.query),
  );

  markRoutes(app, deps, { path: '/backlog/time-and-material', kind: 'Actual', tags });

  // R25, R26: the billing team decides which work consumes a cap.
  for (const [path, command] of [
    ['/backlog/time-and-material/reset-nte', resetNte],
    ['/backlog/time-and-material/reevaluate-nte', reevaluateNte],
  ] as const) {
    r.post(
      path,
      { config: { permission: 'bill' }, schema: { tags, body: bulkIds } },
      async (request) => {
        const { actor } = principalOf(request);
        const results = await inTransaction(db, (trx) =>
          command({ db: trx, actor }, request.body.ids),
        );
        return { results };
      },
    );
  }
}
