/**
 * Idempotency-Key on POST (spec §5): a repeat with the same key and body gets the first
 * response and does nothing again; the same key with another body is refused.
 *
 * The key is claimed before the work runs (a unique row), so two concurrent repeats cannot
 * both run; the response is stored when it is sent. If the process dies between the work's
 * commit and that store, the claim is released after five minutes.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { problem, sendProblem } from './problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey?: string;
  }
}

const STALE_CLAIM = '5 minutes';

function bodyHash(request: FastifyRequest): string {
  return createHash('sha256')
    .update(JSON.stringify(request.body ?? null))
    .digest('hex');
}

export function installIdempotency(app: FastifyInstance, db: Kysely<DB>): void {
  app.addHook('preValidation', async (request, reply) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || typeof key !== 'string' || !request.principal) return;
    if (key.length < 1 || key.length > 200) {
      return sendProblem(
        reply,
        problem(400, 'VALIDATION_FAILED', 'the Idempotency-Key header is invalid', [
          { field: 'Idempotency-Key', message: 'must be 1 to 200 characters' },
        ]),
      );
    }
    const actor = request.principal.actor;
    const path = request.url;
    const hash = bodyHash(request);
    await db
      .deleteFrom('idempotency_keys')
      .where('actor', '=', actor)
      .where('key', '=', key)
      .where('status_code', '=', 0)
      .where('created_at', '<', sql<Date>`now() - ${STALE_CLAIM}::interval`)
      .execute();
    const claimed = await db
      .insertInto('idempotency_keys')
      .values({
        key,
        actor,
        method: request.method,
        path,
        body_hash: hash,
        status_code: 0,
        response: null,
      })
      .onConflict((oc) => oc.columns(['actor', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (claimed) {
      request.idempotencyKey = key;
      return;
    }
    const first = await db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('actor', '=', actor)
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    if (first.body_hash !== hash || first.path !== path || first.method !== request.method) {
      return sendProblem(
        reply,
        problem(
          422,
          'IDEMPOTENCY_KEY_REUSED',
          'this Idempotency-Key was used for a different request',
        ),
      );
    }
    if (first.status_code === 0) {
      return sendProblem(
        reply,
        problem(409, 'CONFLICT', 'a request with this Idempotency-Key is still running'),
      );
    }
    const stored = first.response as { contentType: string; body: string };
    return reply
      .code(first.status_code)
      .header('idempotent-replayed', 'true')
      .type(stored.contentType)
      .send(stored.body);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const key = request.idempotencyKey;
    if (!key || !request.principal) return payload;
    const actor = request.principal.actor;
    if (reply.statusCode >= 500) {
      await db
        .deleteFrom('idempotency_keys')
        .where('actor', '=', actor)
        .where('key', '=', key)
        .execute();
      return payload;
    }
    const body = typeof payload === 'string' ? payload : payload == null ? '' : String(payload);
    await db
      .updateTable('idempotency_keys')
      .set({
        status_code: reply.statusCode,
        response: JSON.stringify({
          contentType: String(reply.getHeader('content-type') ?? 'application/json'),
          body,
        }),
      })
      .where('actor', '=', actor)
      .where('key', '=', key)
      .execute();
    return payload;
  });
}
