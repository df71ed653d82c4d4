import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { markItems } from '../../commands/backlogItems/statusMove.js';
import { inTransaction } from '../../db/transaction.js';
import type { SourceType } from '../../domain/vocabulary.js';
import { bulkIds } from '../../schemas/common.js';
import { principalOf } from '../auth.js';
import type { RouteDeps } from './deps.js';

/**
 * `{view}/mark-ready` and `{view}/mark-not-ready` (R31) of one backlog view: every view
 * marks its own kind of item through the registry, answered per id (spec §5).
 */
export function markRoutes(
  app: FastifyInstance,
  { db }: RouteDeps,
  view: { path: string; kind: SourceType; tags: string[] },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  for (const [suffix, action] of [
    ['mark-ready', 'markReady'],
    ['mark-not-ready', 'markNotReady'],
  ] as const) {
    r.post(
      `${view.path}/${suffix}`,
      { config: { permission: 'bill' }, schema: { tags: view.tags, body: bulkIds } },
      async (request) => {
        const { actor } = principalOf(request);
        const results = await inTransaction(db, (trx) =>
          markItems({ db: trx, actor }, view.kind, action, request.body.ids),
        );
        return { results };
      },
    );
  }
}
