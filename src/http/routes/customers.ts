import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../domain/errors.js';
import { recordAudit } from '../../repositories/audit.js';
import { findCustomer, insertCustomer, listCustomers } from '../../repositories/customers.js';
import { inTransaction } from '../../db/transaction.js';
import { principalOf } from '../auth.js';
import { listSchemas } from '../../views/lists.js';
import { idParam, nonEmptyText } from '../../schemas/common.js';
import type { RouteDeps } from './deps.js';
import { presentCustomer } from '../../views/presenters/customer.js';
import { patchCustomer } from '../../commands/updateParties.js';
import { customerPatchBody } from '../../schemas/parties.js';

export function customerRoutes(app: FastifyInstance, { db }: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['customers'];

  r.post(
    '/customers',
    {
      config: { permission: 'admin' },
      schema: { tags, body: z.strictObject({ name: nonEmptyText() }) },
    },
    async (request, reply) => {
      const { actor } = principalOf(request);
      const customer = await inTransaction(db, async (trx) => {
        const c = await insertCustomer(trx, request.body.name);
        await recordAudit(trx, [
          { actor, action: 'createCustomer', entityType: 'Customer', entityId: c.id },
        ]);
        return c;
      });
      return reply.code(201).send(presentCustomer(customer));
    },
  );

  r.get(
    '/customers',
    { config: { permission: 'read' }, schema: { tags, querystring: listSchemas({}).query } },
    async (request) => {
      const page = await listCustomers(db, request.query);
      return { ...page, items: page.items.map(presentCustomer) };
    },
  );

  r.patch(
    '/customers/:id',
    {
      config: { permission: 'admin' },
      schema: { tags, params: idParam, body: customerPatchBody },
    },
    async (request) => {
      const { actor } = principalOf(request);
      const customer = await inTransaction(db, (trx) =>
        patchCustomer({ db: trx, actor }, request.params.id, request.body),
      );
      return presentCustomer(customer);
    },
  );

  r.get(
    '/customers/:id',
    { config: { permission: 'read' }, schema: { tags, params: idParam } },
    async (request) => {
      const customer = await findCustomer(db, request.params.id);
      if (!customer) throw notFound('customer', request.params.id);
      return presentCustomer(customer);
    },
  );
}
