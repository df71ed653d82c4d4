/**
 * R90: `PATCH` a contract, a contract customer, a contract line and a line customer
 * (admin). Each answers the contract or line as `GET` shows it, with its NTE usage.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { changeContract, changeContractCustomer } from '../../commands/changeContract.js';
import { changeContractLine, changeLineCustomer } from '../../commands/changeContractLine.js';
import type { DB } from '../../db/schema.js';
import { inTransaction } from '../../db/transaction.js';
import { findLine, loadContract } from '../../repositories/contracts.js';
import { limitsOnlyBook, loadNteBooks } from '../../repositories/nte.js';
import { idParam } from '../../schemas/common.js';
import {
  changeContractBody,
  changeCustomerLimitBody,
  changeLineBody,
  customerOfParams,
} from '../../schemas/contracts.js';
import { principalOf } from '../auth.js';
import { presentContract, presentLine } from '../presenters/contract.js';
import type { RouteDeps } from './deps.js';

async function contractView(db: Kysely<DB>, id: string) {
  const record = await loadContract(db, id);
  if (!record) throw new Error('changed contract vanished');
  const books = await loadNteBooks(db, [record]);
  return presentContract(record, books.get(record.contract.id));
}

async function lineView(db: Kysely<DB>, lineId: string) {
  const line = await findLine(db, lineId);
  const contract = line && (await loadContract(db, line.line.contract_id));
  if (!line || !contract) throw new Error('changed line vanished');
  const books = await loadNteBooks(db, [contract]);
  const book = books.get(contract.contract.id) ?? limitsOnlyBook(contract);
  return presentLine(line, contract.contract.currency, book);
}

export function contractChangeRoutes(app: FastifyInstance, { db }: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['contracts'];
  const config = { permission: 'admin' as const };

  r.patch(
    '/contracts/:id',
    { config, schema: { tags, params: idParam, body: changeContractBody } },
    async (request) => {
      const { actor } = principalOf(request);
      return inTransaction(db, async (trx) => {
        await changeContract({ db: trx, actor }, request.params.id, request.body);
        return contractView(trx, request.params.id);
      });
    },
  );

  r.patch(
    '/contracts/:id/customers/:customerId',
    { config, schema: { tags, params: customerOfParams, body: changeCustomerLimitBody } },
    async (request) => {
      const { actor } = principalOf(request);
      const { id, customerId } = request.params;
      return inTransaction(db, async (trx) => {
        await changeContractCustomer({ db: trx, actor }, id, customerId, request.body);
        return contractView(trx, id);
      });
    },
  );

  r.patch(
    '/contract-lines/:id',
    { config, schema: { tags, params: idParam, body: changeLineBody } },
    async (request) => {
      const { actor } = principalOf(request);
      return inTransaction(db, async (trx) => {
        await changeContractLine({ db: trx, actor }, request.params.id, request.body);
        return lineView(trx, request.params.id);
      });
    },
  );

  r.patch(
    '/contract-lines/:id/customers/:customerId',
    { config, schema: { tags, params: customerOfParams, body: changeCustomerLimitBody } },
    async (request) => {
      const { actor } = principalOf(request);
      const { id, customerId } = request.params;
      return inTransaction(db, async (trx) => {
        await changeLineCustomer({ db: trx, actor }, id, customerId, request.body);
        return lineView(trx, id);
      });
    },
  );
}
