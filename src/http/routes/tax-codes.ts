/** R72: the installation's tax codes (spec §5 `/tax-codes`). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { createTaxCode } from '../../commands/createTaxCode.js';
import { updateTaxCode } from '../../commands/updateTaxCode.js';
import { inTransaction } from '../../db/transaction.js';
import { idParam } from '../../schemas/common.js';
import { createTaxCodeBody, updateTaxCodeBody } from '../../schemas/tax-codes.js';
import { presentTaxCode } from '../../views/presenters/tax-code.js';
import { taxCodeList } from '../../views/tax-codes.js';
import { principalOf } from '../auth.js';
import type { RouteDeps } from './deps.js';

export function taxCodeRoutes(app: FastifyInstance, { db }: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['tax codes'];

  r.post(
    '/tax-codes',
    { config: { permission: 'admin' }, schema: { tags, body: createTaxCodeBody } },
    async (request, reply) => {
      const { actor } = principalOf(request);
      const row = await inTransaction(db, (trx) => createTaxCode({ db: trx, actor }, request.body));
      return reply.code(201).send(presentTaxCode(row));
    },
  );

  r.get(
    '/tax-codes',
    { config: { permission: 'read' }, schema: { tags, querystring: taxCodeList.query } },
    async (request) => taxCodeList.list(db, request.query),
  );

  r.patch(
    '/tax-codes/:id',
    {
      config: { permission: 'admin' },
      schema: { tags, params: idParam, body: updateTaxCodeBody },
    },
    async (request) => {
      const { actor } = principalOf(request);
      const row = await inTransaction(db, (trx) =>
        updateTaxCode({ db: trx, actor }, request.params.id, request.body),
      );
      return presentTaxCode(row);
    },
  );
}
