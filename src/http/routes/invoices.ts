import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { addItemsToDraft } from '../../commands/addItemsToDraft.js';
import { confirmInvoice, confirmInvoices } from '../../commands/confirmInvoice.js';
import { correctInvoice } from '../../commands/correctInvoice.js';
import { createDraftInvoices } from '../../commands/createDraftInvoices.js';
import {
  deleteDraftInvoice,
  patchInvoiceDetail,
  removeInvoiceDetail,
} from '../../commands/editInvoiceDraft.js';
import { loadInvoiceViews } from '../../commands/readInvoices.js';
import { runInvoices } from '../../commands/runInvoices.js';
import type { DB } from '../../db/schema.js';
import { inTransaction } from '../../db/transaction.js';
import { notFound } from '../../domain/errors.js';
import {
  findInvoice,
  findInvoiceContractId,
  listInvoices,
  type InvoiceRow,
} from '../../repositories/invoices.js';
import { principalOf } from '../auth.js';
import { presentInvoice } from '../presenters/invoice.js';
import { bulkIds, idParam } from '../../schemas/common.js';
import {
  addItemsBody,
  correctionBody,
  createInvoicesBody,
  detailParams,
  invoiceRunBody,
  listInvoicesQuery,
  patchDetailBody,
  patchInvoiceBody,
} from '../../schemas/invoices.js';
import { patchInvoiceDraft } from '../../commands/patchInvoiceDraft.js';
import type { RouteDeps } from './deps.js';
import { withInvoiceNames } from '../../views/names.js';

const today = () => new Date().toISOString().slice(0, 10);

type InvoiceView = ReturnType<typeof presentInvoice>;
const unwritten = (invoice: InvoiceView) => ({
  ...invoice,
  id: null,
  number: null,
  lines: invoice.lines.map((line) => ({
    ...line,
    details: line.details.map((d) => ({ ...d, id: null })),
  })),
});

/** Invoices presented (and serialised) at once in a run's answer. */
const RUN_ANSWER_SLICE = 100;

/** A run's answer from its serialised slices of invoices, piece by piece. */
function* answerChunks(head: string, slices: readonly string[]): Generator<string> {
  yield head;
  for (let i = 0; i < slices.length; i++) yield i === 0 ? slices[i]! : `,${slices[i]}`;
  yield ']}';
}

async function present(db: Kysely<DB>, invoices: readonly InvoiceRow[]) {
  return withInvoiceNames(db, (await loadInvoiceViews(db, invoices)).map(presentInvoice));
}

async function presentOne(db: Kysely<DB>, id: string) {
  const contractId = await findInvoiceContractId(db, id);
  const invoice = contractId ? await findInvoice(db, contractId, id) : undefined;
  if (!invoice) throw notFound('invoice', id);
  const [view] = await present(db, [invoice]);
  return view;
}

export function invoiceRoutes(app: FastifyInstance, { db }: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['invoices'];

  // R60
  r.post(
    '/invoices',
    { config: { permission: 'bill' }, schema: { tags, body: createInvoicesBody } },
    async (request, reply) => {
      const { actor } = principalOf(request);
      const body = request.body;
      const invoices = await inTransaction(db, async (trx) => {
        const created = await createDraftInvoices(
          { db: trx, actor },
          {
            contractId: body.contractId,
            invoiceDate: body.invoiceDate ?? today(),
            ...(body.customerIds ? { customerIds: body.customerIds } : {}),
            ...(body.itemIds ? { itemIds: body.itemIds } : {}),
          },
        );
        return present(trx, created);
      });
      return reply.code(201).send({ invoices });
    },
  );

  r.get(
    '/invoices',
    { config: { permission: 'read' }, schema: { tags, querystring: listInvoicesQuery } },
    async (request) => {
      const page = await listInvoices(db, request.query);
      return { items: await present(db, page.items), nextCursor: page.nextCursor };
    },
  );

  r.get(
    '/invoices/:id',
    { config: { permission: 'read' }, schema: { tags, params: idParam } },
    async (request) => presentOne(db, request.params.id),
  );

  // R62
  r.patch(
    '/invoices/:id/details/:detailId',
    {
      config: { permission: 'bill' },
      schema: { tags, params: detailParams, body: patchDetailBody },
    },
    async (request) => {
      const { actor } = principalOf(request);
      return inTransaction(db, async (trx) => {
        const invoice = await patchInvoiceDetail(
          { db: trx, actor },
          { invoiceId: request.params.id, detailId: request.params.detailId, ...request.body },
        );
        return (await present(trx, [invoice]))[0];
      });
    },
  );

  // R75
  r.patch(
    '/invoices/:id',
    {
      config: { permission: 'bill' },
      schema: { tags, params: idParam, body: patchInvoiceBody },
    },
    async (request) => {
      const { actor } = principalOf(request);
      return inTransaction(db, async (trx) => {
        const invoice = await patchInvoiceDraft(
          { db: trx, actor },
          request.params.id,
          request.body,
        );
        return (await present(trx, [invoice]))[0];
      });
    },
  );

  // R69
  r.post(
    '/invoices/:id/items',
    { config: { permission: 'bill' }, schema: { tags, params: idParam, body: addItemsBody } },
    async (request) => {
      const { actor } = principalOf(request);
      return inTransaction(db, async (trx) => {
        const { results, invoice } = await addItemsToDraft(
          { db: trx, actor },
          request.params.id,
          request.body.itemIds,
        );
        return { results, invoice: (await present(trx, [invoice]))[0] };
      });
    },
  );

  // R32
  r.delete(
    '/invoices/:id/details/:detailId',
    { config: { permission: 'bill' }, schema: { tags, params: detailParams } },
    async (request) => {
      const { actor } = principalOf(request);
      return inTransaction(db, async (trx) => {
        const invoice = await removeInvoiceDetail(
          { db: trx, actor },
          request.params.id,
          request.params.detailId,
        );
        return (await present(trx, [invoice]))[0];
      });
    },
  );

  r.delete(
    '/invoices/:id',
    { config: { permission: 'bill' }, schema: { tags, params: idParam } },
    async (request, reply) => {
      const { actor } = principalOf(request);
      await inTransaction(db, (trx) => deleteDraftInvoice({ db: trx, actor }, request.params.id));
      return reply.code(204).send();
    },
  );

  // R63
  r.post(
    '/invoices/:id/confirm',
    { config: { permission: 'admin' }, schema: { tags, params: idParam } },
    async (request) => {
      const { actor } = principalOf(request);
      return inTransaction(db, async (trx) => {
        const invoice = await confirmInvoice({ db: trx, actor }, request.params.id);
        return (await present(trx, [invoice]))[0];
      });
    },
  );

  // R64: answered per id (batches of drafts share a transaction; see confirmInvoices).
  r.post(
    '/invoices/confirm',
    { config: { permission: 'admin' }, schema: { tags, body: bulkIds } },
    async (request) => {
      const { actor } = principalOf(request);
      return { results: await confirmInvoices(db, actor, request.body.ids) };
    },
  );

  // R65
  r.post(
    '/invoices/:id/corrections',
    { config: { permission: 'admin' }, schema: { tags, params: idParam, body: correctionBody } },
    async (request, reply) => {
      const { actor } = principalOf(request);
      const view = await inTransaction(db, async (trx) => {
        const invoice = await correctInvoice(
          { db: trx, actor },
          request.params.id,
          request.body?.details,
        );
        return (await present(trx, [invoice]))[0];
      });
      return reply.code(201).send(view);
    },
  );

  // R66
  r.post(
    '/invoice-runs',
    { config: { permission: 'bill' }, schema: { tags, body: invoiceRunBody } },
    async (request, reply) => {
      const { actor } = principalOf(request);
      const body = request.body;
      const dryRun = body.dryRun ?? false;
      const slices = await runInvoices(db, actor, {
        runDate: body.runDate,
        dryRun,
        ...(body.contractIds ? { contractIds: body.contractIds } : {}),
        // A run's answer can hold thousands of drafts (2,000 with 100,000 details at 1M):
        // it is written as JSON a slice of invoices at a time, so the server never holds
        // every invoice's view at once (issue 18: server RSS). Still inside the transaction,
        // so the answer is the run's own snapshot.
        present: async (trx, created): Promise<string[]> => {
          const slices: string[] = [];
          for (let i = 0; i < created.length; i += RUN_ANSWER_SLICE) {
            const views = await present(trx, created.slice(i, i + RUN_ANSWER_SLICE));
            // R66: a dry run's invoices, and their details, are never written: they have no ids.
            slices.push(JSON.stringify(dryRun ? views.map(unwritten) : views).slice(1, -1));
          }
          return slices;
        },
      });
      reply.code(dryRun ? 200 : 201).type('application/json; charset=utf-8');
      const head = `{"runDate":${JSON.stringify(body.runDate)},"dryRun":${dryRun},"invoices":[`;
      // An Idempotency-Key stores the answer to replay it: that needs it whole. Otherwise the
      // slices are streamed as they are, never joined into one more copy of the answer.
      if (request.idempotency) return reply.send(`${head}${slices.join(',')}]}`);
      return reply.send(Readable.from(answerChunks(head, slices), { objectMode: false }));
    },
  );
}
