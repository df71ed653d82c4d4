import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { approveEntry } from '../../commands/approveEntry.js';
import { bulkApproveEntries } from '../../commands/approveEntries.js';
import { cancelApproval } from '../../commands/cancelApproval.js';
import { rejectEntry } from '../../commands/rejectEntry.js';
import { submitEntry } from '../../commands/submitEntry.js';
import { inTransaction } from '../../db/transaction.js';
import { notFound } from '../../domain/errors.js';
import { findContractRow } from '../../repositories/contracts.js';
import { findEntry } from '../../repositories/entries.js';
import { principalOf } from '../auth.js';
import { presentBacklogRow } from '../../views/presenters/actual.js';
import { presentEntry } from '../../views/presenters/entry.js';
import { entryList } from '../../views/entries.js';
import { bulkIds, idParam } from '../../schemas/common.js';
import { approveEntryBody, rejectEntryBody, submitEntryBody } from '../../schemas/entries.js';
import type { RouteDeps } from './deps.js';

export function entryRoutes(app: FastifyInstance, { db }: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['entries'];

  const currencyOf = async (contractId: string) =>
    (await findContractRow(db, contractId))?.currency ?? 'USD';

  r.post(
    '/entries',
    { config: { permission: 'approve' }, schema: { tags, body: submitEntryBody } },
    async (request, reply) => {
      const { actor } = principalOf(request);
      const entry = await inTransaction(db, (trx) => submitEntry({ db: trx, actor }, request.body));
      return reply.code(201).send(presentEntry(entry, await currencyOf(entry.contract_id)));
    },
  );

  // R16: entries by status; `status=Submitted` is the approver's queue.
  r.get(
    '/entries',
    { config: { permission: 'read' }, schema: { tags, querystring: entryList.query } },
    async (request) => entryList.list(db, request.query),
  );

  r.get(
    '/entries/:id',
    { config: { permission: 'read' }, schema: { tags, params: idParam } },
    async (request) => {
      const entry = await findEntry(db, request.params.id);
      if (!entry) throw notFound('entry', request.params.id);
      return presentEntry(entry, await currencyOf(entry.contract_id));
    },
  );

  r.post(
    '/entries/:id/approve',
    {
      config: { permission: 'approve' },
      schema: { tags, params: idParam, body: approveEntryBody },
    },
    async (request) => {
      const { actor } = principalOf(request);
      const result = await inTransaction(db, (trx) =>
        approveEntry(
          { db: trx, actor },
          { entryId: request.params.id, billableQuantity: request.body.billableQuantity },
        ),
      );
      const currency = await currencyOf(result.entry.contract_id);
      return {
        entry: presentEntry(result.entry, currency),
        actuals: result.actuals.map((a) => presentBacklogRow(a, result.entry)),
      };
    },
  );

  r.post(
    '/entries/approve',
    { config: { permission: 'approve' }, schema: { tags, body: bulkIds } },
    async (request) => {
      const { actor } = principalOf(request);
      // Set-based, whole contracts per transaction; one entry's failure never fails the others.
      const results = await bulkApproveEntries(db, actor, request.body.ids, {
        onServerError: (entryId, error) =>
          request.log.error({ err: error, entryId }, 'approving an entry failed'),
      });
      return { results };
    },
  );

  // R16: approver or admin, as approving.
  r.post(
    '/entries/:id/reject',
    {
      config: { permission: 'approve' },
      schema: { tags, params: idParam, body: rejectEntryBody },
    },
    async (request) => {
      const { actor } = principalOf(request);
      const entry = await inTransaction(db, (trx) =>
        rejectEntry(
          { db: trx, actor },
          { entryId: request.params.id, reason: request.body.reason },
        ),
      );
      return presentEntry(entry, await currencyOf(entry.contract_id));
    },
  );

  r.post(
    '/entries/:id/cancel-approval',
    { config: { permission: 'approve' }, schema: { tags, params: idParam } },
    async (request) => {
      const { actor } = principalOf(request);
      const entry = await inTransaction(db, (trx) =>
        cancelApproval({ db: trx, actor }, request.params.id),
      );
      return presentEntry(entry, await currencyOf(entry.contract_id));
    },
  );
}
