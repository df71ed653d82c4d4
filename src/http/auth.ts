/**
 * Bearer-token authentication and role checks. Each route declares the permission it
 * needs in `config.permission`; routes without one (health, OpenAPI) are public.
 * Failed authentications are rate limited per client address (spec §5 front door).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB, Role } from '../db/schema.js';
import { hashToken } from '../domain/tokens.js';
import { can, type Permission } from '../policies/roles.js';
import { findActiveTokenByHash } from '../repositories/tokens.js';
import type { AuthFailures } from './front-door.js';
import { problem, sendProblem } from './problem.js';

export interface Principal {
  /** Stable name recorded in audit events: `token:<id>` or `admin-token`. */
  actor: string;
  role: Role;
  /** `GET /me`: the token's id and name; the ADMIN_TOKEN has no id (null), its name says so. */
  tokenId: string | null;
  name: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    permission?: Permission;
  }
}

function sameSecret(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

async function authenticate(
  db: Kysely<DB>,
  adminToken: string | undefined,
  header: string | undefined,
): Promise<Principal | null> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  const token = match?.[1];
  if (!token || token.length > 200) return null;
  if (adminToken && sameSecret(token, adminToken)) {
    return { actor: 'admin-token', role: 'admin', tokenId: null, name: 'ADMIN_TOKEN' };
  }
  const row = await findActiveTokenByHash(db, hashToken(token));
  return row ? { actor: `token:${row.id}`, role: row.role, tokenId: row.id, name: row.name } : null;
}

const tooManyFailures = (seconds: number) =>
  problem(
    429,
    'TOO_MANY_REQUESTS',
    `too many failed authentications from this address; retry in ${seconds} s`,
  );

export function installAuth(
  app: FastifyInstance,
  db: Kysely<DB>,
  failures: AuthFailures,
  adminToken?: string,
): void {
  app.addHook('onRequest', async (request, reply) => {
    const permission = request.routeOptions.config?.permission;
    if (!permission) return;
    // Over the limit: refused before the token is looked at, right or wrong.
    const blocked = await failures.blockedFor(request);
    if (blocked !== undefined) {
      return sendProblem(reply.header('retry-after', String(blocked)), tooManyFailures(blocked));
    }
    const principal = await authenticate(db, adminToken, request.headers.authorization);
    if (!principal) {
      const wait = await failures.record(request);
      if (wait !== undefined) {
        return sendProblem(reply.header('retry-after', String(wait)), tooManyFailures(wait));
      }
      return sendProblem(
        reply.header('www-authenticate', 'Bearer'),
        problem(401, 'UNAUTHORIZED', 'a valid bearer token is required'),
      );
    }
    if (!can(principal.role, permission)) {
      return sendProblem(
        reply,
        problem(
          403,
          'FORBIDDEN',
          `the ${principal.role} role may not do this (needs ${permission})`,
        ),
      );
    }
    request.principal = principal;
  });
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('route has no permission declared');
  return request.principal;
}
