import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { deleteMilestone, updateMilestone } from '../../commands/changeMilestone.js';
import { createMilestone } from '../../commands/createMilestone.js';
import { generateMilestones } from '../../commands/generateMilestones.js';
import { inTransaction } from '../../db/transaction.js';
import { notFound } from '../../domain/errors.js';
import { findMilestoneView } from '../../repositories/milestones.js';
import { principalOf } from '../auth.js';
import { presentMilestone } from '../../views/presenters/milestone.js';
import { idParam } from '../../schemas/common.js';
import {
  createMilestoneBody,
  generateMilestonesBody,
  updateMilestoneBody,
} from '../../schemas/milestones.js';
import type { RouteDeps } from './deps.js';

export function milestoneRoutes(app: FastifyInstance, { db }: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['fixed-price milestones'];

  r.post(
    '/contract-lines/:id/milestones',
    {
      config: { permission: 'admin' },
      schema: { tags, params: idParam, body: createMilestoneBody },
    },
    async (request, reply) => {
      const { actor } = principalOf(request);
      const view = await inTransaction(db, (trx) =>
        createMilestone({ db: trx, actor }, { contractLineId: request.params.id, ...request.body }),
      );
      return reply.code(201).send(presentMilestone(view));
    },
  );

  r.post(
    '/contract-lines/:id/milestones/generate',
    {
      config: { permission: 'admin' },
      schema: { tags, params: idParam, body: generateMilestonesBody },
    },
    async (request, reply) => {
      const { actor } = principalOf(request);
      const views = await inTransaction(db, (trx) =>
        generateMilestones(
          { db: trx, actor },
          { contractLineId: request.params.id, ...request.body },
        ),
      );
      return reply.code(201).send({ milestones: views.map(presentMilestone) });
    },
  );

  r.get(
    '/milestones/:id',
    { config: { permission: 'read' }, schema: { tags, params: idParam } },
    async (request) => {
      const view = await findMilestoneView(db, request.params.id);
      if (!view) throw notFound('milestone', request.params.id);
      return presentMilestone(view);
    },
  );

  r.patch(
    '/milestones/:id',
    {
      config: { permission: 'admin' },
      schema: { tags, params: idParam, body: updateMilestoneBody },
    },
    async (request) => {
      const { actor } = principalOf(request);
      const view = await inTransaction(db, (trx) =>
        updateMilestone({ db: trx, actor }, request.params.id, request.body),
      );
      return presentMilestone(view);
    },
  );

  r.delete(
    '/milestones/:id',
    { config: { permission: 'admin' }, schema: { tags, params: idParam } },
    async (request, reply) => {
      const { actor } = principalOf(request);
      await inTransaction(db, (trx) => deleteMilestone({ db: trx, actor }, request.params.id));
      return reply.code(204).send();
    },
  );
}
