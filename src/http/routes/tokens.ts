import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createToken, revokeToken } from '../../commands/tokens.js';
import { inTransaction } from '../../db/transaction.js';
import { listTokens } from '../../repositories/tokens.js';
import { principalOf } from '../auth.js';
import { idParam, nonEmptyText, role } from '../../schemas/common.js';
import type { RouteDeps } from './deps.js';

export function tokenRoutes(app: FastifyInstance, { db }: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['tokens'];

  r.post(
    '/tokens',
    {
      config: { permission: 'admin' },
      schema: { tags, body: z.strictObject({ name: nonEmptyText(), role }) },
    },
    async (request, reply) => {
      const { actor } = principalOf(request);
      const token = await inTransaction(db, (trx) => createToken({ db: trx, actor }, request.body));
      // Spec §5: the answer shows a secret; no cache (nor the idempotency store) keeps it.
      return reply.code(201).header('cache-control', 'no-store').send(token);
    },
  );

  r.get('/tokens', { config: { permission: 'admin' }, schema: { tags } }, async () => ({
    items: await listTokens(db),
    nextCursor: null,
  }));

  r.delete(
    '/tokens/:id',
    { config: { permission: 'admin' }, schema: { tags, params: idParam } },
    async (request, reply) => {
      const { actor } = principalOf(request);
      await inTransaction(db, (trx) => revokeToken({ db: trx, actor }, request.params.id));
      return reply.code(204).send();
    },
  );
}
