import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { markActuals } from '../../commands/markActuals.js';
import { inTransaction } from '../../db/transaction.js';
import { principalOf } from '../auth.js';
import { bulkIds } from '../schemas/common.js';
import type { RouteDeps } from './deps.js';

export function timeAndMaterialBacklogRoutes(app: FastifyInstance, { db }: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['time-and-material backlog'];

  for (const [path, action] of [
    ['/backlog/time-and-material/mark-ready', 'markReady'],
    ['/backlog/time-and-material/mark-not-ready', 'markNotReady'],
  ] as const) {
    r.post(path, { config: { permission: 'bill' }, schema: { tags, body: bulkIds } }, async (request) => {
      const { actor } = principalOf(request);
      const results = await inTransaction(db, (trx) => markActuals({ db: trx, actor }, action, request.body.ids));
      return { results };
    });
  }
}
