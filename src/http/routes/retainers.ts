import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { createRetainer } from '../../commands/createRetainer.js';
import { scheduleRetainers } from '../../commands/scheduleRetainers.js';
import { inTransaction } from '../../db/transaction.js';
import { findRetainers } from '../../repositories/retainers.js';
import { principalOf } from '../auth.js';
import { presentRetainer } from '../../views/presenters/retainer.js';
import { idParam } from '../../schemas/common.js';
import { createRetainerBody, scheduleRetainersBody } from '../../schemas/retainers.js';
import type { RouteDeps } from './deps.js';

/** Creating retainers and advances on a contract (R50, R54). */
export function retainerRoutes(app: FastifyInstance, { db }: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['retainers and advances'];

  r.post(
    '/contracts/:id/retainers',
    {
      config: { permission: 'admin' },
      schema: { tags, params: idParam, body: createRetainerBody },
    },
    async (request, reply) => {
      const { actor } = principalOf(request);
      const [created] = await inTransaction(db, async (trx) => {
        const row = await createRetainer(
          { db: trx, actor },
          { contractId: request.params.id, ...request.body },
        );
        return findRetainers(trx, [row.id]);
      });
      if (!created) throw new Error('created retainer vanished');
      return reply.code(201).send(presentRetainer(created));
    },
  );

  r.post(
    '/contracts/:id/retainers/schedule',
    {
      config: { permission: 'admin' },
      schema: { tags, params: idParam, body: scheduleRetainersBody },
    },
    async (request, reply) => {
      const { actor } = principalOf(request);
      const created = await inTransaction(db, async (trx) => {
        const rows = await scheduleRetainers(
          { db: trx, actor },
          { contractId: request.params.id, ...request.body },
        );
        return findRetainers(
          trx,
          rows.map((row) => row.id),
        );
      });
      return reply.code(201).send({ retainers: created.map((row) => presentRetainer(row)) });
    },
  );
}
