/** R70: the installation's seller profile (spec §5 `/settings/seller`). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { putSellerProfile } from '../../commands/updateParties.js';
import { inTransaction } from '../../db/transaction.js';
import { DomainError } from '../../domain/errors.js';
import { findSellerProfile } from '../../repositories/seller-profile.js';
import { sellerProfileBody } from '../../schemas/parties.js';
import { principalOf } from '../auth.js';
import type { RouteDeps } from './deps.js';

export function settingsRoutes(app: FastifyInstance, { db }: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['settings'];

  // Before the first PUT there is no profile: 404, so a client can tell "not set" from
  // "set with empty fields" (docs/INVOICING.md).
  r.get('/settings/seller', { config: { permission: 'read' }, schema: { tags } }, async () => {
    const profile = await findSellerProfile(db);
    if (!profile) {
      throw new DomainError('NOT_FOUND', 'the seller profile is not set yet; PUT it first');
    }
    return profile;
  });

  r.put(
    '/settings/seller',
    { config: { permission: 'admin' }, schema: { tags, body: sellerProfileBody } },
    async (request) => {
      const { actor } = principalOf(request);
      return inTransaction(db, (trx) => putSellerProfile({ db: trx, actor }, request.body));
    },
  );
}
