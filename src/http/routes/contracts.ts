import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { addContractLine } from '../../commands/addContractLine.js';
import { createContract } from '../../commands/createContract.js';
import { inTransaction } from '../../db/transaction.js';
import { notFound } from '../../domain/errors.js';
import { findLine, listContracts, loadContract } from '../../repositories/contracts.js';
import { principalOf } from '../auth.js';
import { presentContract, presentLine } from '../presenters/contract.js';
import { idParam } from '../schemas/common.js';
import { addLineBody, createContractBody, listContractsQuery } from '../schemas/contracts.js';
import type { RouteDeps } from './deps.js';

export function contractRoutes(app: FastifyInstance, { db }: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['contracts'];

  r.post(
    '/contracts',
    { config: { permission: 'admin' }, schema: { tags, body: createContractBody } },
    async (request, reply) => {
      const { actor } = principalOf(request);
      const record = await inTransaction(db, async (trx) => {
        const id = await createContract({ db: trx, actor }, request.body);
        return loadContract(trx, id);
      });
      if (!record) throw new Error('created contract vanished');
      return reply.code(201).send(presentContract(record));
    },
  );

  r.get(
    '/contracts',
    { config: { permission: 'read' }, schema: { tags, querystring: listContractsQuery } },
    async (request) => {
      const page = await listContracts(db, request.query);
      return { items: page.items.map(presentContract), nextCursor: page.nextCursor };
    },
  );

  r.get(
    '/contracts/:id',
    { config: { permission: 'read' }, schema: { tags, params: idParam } },
    async (request) => {
      const record = await loadContract(db, request.params.id);
      if (!record) throw notFound('contract', request.params.id);
      return presentContract(record);
    },
  );

  r.post(
    '/contracts/:id/lines',
    { config: { permission: 'admin' }, schema: { tags, params: idParam, body: addLineBody } },
    async (request, reply) => {
      const { actor } = principalOf(request);
      const { line, currency } = await inTransaction(db, async (trx) => {
        const id = await addContractLine({ db: trx, actor }, { contractId: request.params.id, ...request.body });
        const created = await findLine(trx, id);
        const contract = await loadContract(trx, request.params.id);
        if (!created || !contract) throw new Error('created line vanished');
        return { line: created, currency: contract.contract.currency };
      });
      return reply.code(201).send(presentLine(line, currency));
    },
  );
}
