import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { addContractLine } from '../../commands/addContractLine.js';
import { createContract } from '../../commands/createContract.js';
import { inTransaction } from '../../db/transaction.js';
import { notFound } from '../../domain/errors.js';
import { findLine, listContracts, loadContract } from '../../repositories/contracts.js';
import { limitsOnlyBook, loadNteBooks } from '../../repositories/nte.js';
import { principalOf } from '../auth.js';
import { presentContract, presentLine } from '../presenters/contract.js';
import { idParam } from '../../schemas/common.js';
import { addLineBody, createContractBody, listContractsQuery } from '../../schemas/contracts.js';
import type { RouteDeps } from './deps.js';
import { withContractNames } from '../../views/names.js';

export function contractRoutes(app: FastifyInstance, { db }: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['contracts'];

  r.post(
    '/contracts',
    { config: { permission: 'admin' }, schema: { tags, body: createContractBody } },
    async (request, reply) => {
      const { actor } = principalOf(request);
      const { record, books } = await inTransaction(db, async (trx) => {
        const id = await createContract({ db: trx, actor }, request.body);
        const created = await loadContract(trx, id);
        if (!created) throw new Error('created contract vanished');
        return { record: created, books: await loadNteBooks(trx, [created]) };
      });
      return reply.code(201).send(presentContract(record, books.get(record.contract.id)));
    },
  );

  r.get(
    '/contracts',
    { config: { permission: 'read' }, schema: { tags, querystring: listContractsQuery } },
    async (request) => {
      const page = await listContracts(db, request.query);
      const books = await loadNteBooks(db, page.items);
      const items = page.items.map((c) => presentContract(c, books.get(c.contract.id)));
      return { items: await withContractNames(db, items), nextCursor: page.nextCursor };
    },
  );

  r.get(
    '/contracts/:id',
    { config: { permission: 'read' }, schema: { tags, params: idParam } },
    async (request) => {
      const record = await loadContract(db, request.params.id);
      if (!record) throw notFound('contract', request.params.id);
      const books = await loadNteBooks(db, [record]);
      const [named] = await withContractNames(db, [
        presentContract(record, books.get(record.contract.id)),
      ]);
      return named;
    },
  );

  r.post(
    '/contracts/:id/lines',
    { config: { permission: 'admin' }, schema: { tags, params: idParam, body: addLineBody } },
    async (request, reply) => {
      const { actor } = principalOf(request);
      const { line, currency, book } = await inTransaction(db, async (trx) => {
        const id = await addContractLine(
          { db: trx, actor },
          { contractId: request.params.id, ...request.body },
        );
        const created = await findLine(trx, id);
        const contract = await loadContract(trx, request.params.id);
        if (!created || !contract) throw new Error('created line vanished');
        const books = await loadNteBooks(trx, [contract]);
        const book = books.get(contract.contract.id) ?? limitsOnlyBook(contract);
        return { line: created, currency: contract.contract.currency, book };
      });
      return reply.code(201).send(presentLine(line, currency, book));
    },
  );
}
