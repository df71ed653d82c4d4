/** R80, R81: `GET /invoices/{id}/einvoice?syntax=ubl|cii&profile=en16931|peppol`. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireEinvoice } from '../../einvoice/invoice-einvoice.js';
import { idParam } from '../../schemas/common.js';
import { einvoiceQuery } from '../../schemas/einvoice.js';
import type { RouteDeps } from './deps.js';

export function einvoiceRoutes(app: FastifyInstance, { db }: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/invoices/:id/einvoice',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['invoices'],
        summary: 'The EN 16931 e-invoice of a confirmed invoice (UBL 2.1 or CII D16B)',
        params: idParam,
        querystring: einvoiceQuery,
      },
    },
    async (request, reply) => {
      const { syntax, profile } = request.query;
      const file = await requireEinvoice(db, request.params.id, syntax, profile);
      return reply
        .type('application/xml; charset=utf-8')
        .header('content-disposition', `attachment; filename="${file.number}.xml"`)
        .send(file.xml);
    },
  );
}
