import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { markItems } from '../../commands/backlogItems/statusMove.js';
import { inTransaction } from '../../db/transaction.js';
import { availableRetainerBacklog, retainerBacklog } from '../../views/retainer-backlog.js';
import { principalOf } from '../auth.js';
import { bulkIds } from '../../schemas/common.js';
import type { RouteDeps } from './deps.js';

/** The two retainer backlog views (spec §1) and their mark ready / not ready actions (R31). */
export function retainerBacklogRoutes(app: FastifyInstance, { db }: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['retainers and advances backlog'];

  for (const [path, view] of [
    ['/backlog/retainers-and-advances', retainerBacklog],
    ['/backlog/available-retainers-and-advances', availableRetainerBacklog],
  ] as const) {
    r.get(
      path,
      { config: { permission: 'read' }, schema: { tags, querystring: view.query } },
      async (request) => view.read(db, request.query),
    );
  }

  for (const [path, action] of [
    ['/backlog/retainers-and-advances/mark-ready', 'markReady'],
    ['/backlog/retainers-and-advances/mark-not-ready', 'markNotReady'],
  ] as const) {
    r.post(
      path,
      { config: { permission: 'bill' }, schema: { tags, body: bulkIds } },
      async (request) => {
        const { actor } = principalOf(request);
        const results = await inTransaction(db, (trx) =>
          markItems({ db: trx, actor }, 'Retainer', action, request.body.ids),
        );
        return { results };
      },
    );
  }
}
