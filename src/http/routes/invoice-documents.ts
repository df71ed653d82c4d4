/**
 * R78: `GET /invoices/{id}/document`, the invoice as a PDF (a draft's as a pro forma),
 * streamed as it is written. An unknown invoice answers 404 before any byte of PDF is sent.
 */
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { notFound } from '../../domain/errors.js';
import { writeInvoicePdf } from '../../documents/invoice-pdf.js';
import { idParam } from '../../schemas/common.js';
import { loadInvoiceDocument } from '../../views/invoice-document.js';
import type { RouteDeps } from './deps.js';

export function invoiceDocumentRoutes(app: FastifyInstance, { db }: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/invoices/:id/document',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['invoices'],
        params: idParam,
        produces: ['application/pdf'],
        description: 'The invoice document (R78); a draft is rendered as a pro forma.',
      },
    },
    async (request, reply) => {
      const document = await loadInvoiceDocument(db, request.params.id);
      if (!document) throw notFound('invoice', request.params.id);
      const body = new PassThrough();
      writeInvoicePdf(document, body).catch((error: unknown) => {
        // Headers are gone by now: the client sees a cut-off body, the log says why.
        request.log.error({ err: error }, 'invoice document failed while streaming');
        body.destroy(error as Error);
      });
      const name = document.number ?? `pro-forma-${document.id}`;
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${name.replace(/[^\w.-]/g, '_')}.pdf"`)
        .send(body);
    },
  );
}
