/** R95: invoice runs queued as background jobs (spec §5 `/invoice-runs/jobs`). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { queueInvoiceRunJob } from '../../commands/invoiceRunJobs.js';
import { inTransaction } from '../../db/transaction.js';
import { notFound } from '../../domain/errors.js';
import { isId } from '../../domain/ids.js';
import { idParam } from '../../schemas/common.js';
import { invoiceRunJobBody } from '../../schemas/invoice-run-jobs.js';
import { invoiceRunJobList, presentJob, readJob } from '../../views/invoice-run-jobs.js';
import { principalOf } from '../auth.js';
import type { RouteDeps } from './deps.js';

export function invoiceRunJobRoutes(app: FastifyInstance, { db, jobs }: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['invoices'];

  r.post(
    '/invoice-runs/jobs',
    {
      config: { permission: 'bill' },
      schema: { tags, body: invoiceRunJobBody },
      // Woken once the answer is out, when the job row has committed (an Idempotency-Key
      // request commits its unit of work only then).
      onResponse: async () => jobs?.wake(),
    },
    async (request, reply) => {
      const { actor } = principalOf(request);
      const job = await inTransaction(db, (trx) =>
        queueInvoiceRunJob({ db: trx, actor }, request.body),
      );
      return reply.code(202).send(presentJob(job));
    },
  );

  r.get(
    '/invoice-runs/jobs',
    { config: { permission: 'read' }, schema: { tags, querystring: invoiceRunJobList.query } },
    async (request) => invoiceRunJobList.list(db, request.query),
  );

  r.get(
    '/invoice-runs/jobs/:id',
    { config: { permission: 'read' }, schema: { tags, params: idParam } },
    async (request) => {
      const { id } = request.params;
      const job = isId(id) ? await readJob(db, id) : undefined;
      if (!job) throw notFound('invoice-run job', id);
      return job;
    },
  );
}
