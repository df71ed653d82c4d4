/**
 * Idempotency-Key on POST (spec §5): a repeat with the same key and body — the same JSON
 * value, whatever its spacing or property order — gets the first answer and does nothing
 * again; the same key with another body is refused.
 *
 * Exactly once, also across crashes: the request runs in one unit of work
 * (src/db/unit-of-work.ts) that claims the key first, does the work (route transactions
 * become savepoints of it) and stores the answer, then commits all three together. A crash
 * before that commit leaves nothing done and no key, so a retry runs once; after it, a retry
 * replays the stored answer. A concurrent repeat waits on the claim and then replays.
 *
 * An answer that carries a secret (`Cache-Control: no-store`, the new token of POST
 * /tokens) is not stored: a repeat is told the work was done instead of seeing the secret.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { beginUnitOfWork, type DialectPool, type UnitOfWork } from '../db/unit-of-work.js';
import {
  claimIdempotencyKey,
  findIdempotentAnswer,
  saveIdempotentAnswer,
  type IdempotencyRequest,
  type StoredAnswer,
} from '../repositories/idempotency.js';
import { problem, sendProblem } from './problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: IdempotencyRequest;
    unitOfWork?: UnitOfWork;
  }
}

/**
 * A parsed JSON value as canonical text: object keys sorted at every depth, no spacing (as
 * RFC 8785 for the values JSON.parse gives), so order and spacing do not change the hash.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function bodyHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

/**
 * Crash points for the kill tests (test/api/idempotency-crash.test.ts): when
 * BILLING_BACKLOG_FAILPOINT names one, the process kills itself there (SIGKILL, as a power
 * cut would). Unset in production.
 */
const FAILPOINT = process.env.BILLING_BACKLOG_FAILPOINT;
function failpoint(name: 'before-commit' | 'after-commit'): void {
  if (FAILPOINT === name) process.kill(process.pid, 'SIGKILL');
}

const reused = () =>
  problem(422, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for a different request');

function replay(reply: FastifyReply, request: IdempotencyRequest, stored: StoredAnswer) {
  if (
    stored.bodyHash !== request.bodyHash ||
    stored.path !== request.path ||
    stored.method !== request.method
  ) {
    return sendProblem(reply, reused());
  }
  return reply
    .code(stored.statusCode)
    .header('idempotent-replayed', 'true')
    .type(stored.contentType)
    .send(stored.body);
}

export function installIdempotency(app: FastifyInstance, db: Kysely<DB>, pool: DialectPool): void {
  // Before validation, on the body as sent: the key's record compares what the client sent.
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
    request.idempotency = {
      actor: request.principal.actor,
      key,
      method: request.method,
      path: request.url,
      bodyHash: bodyHash(request.body),
    };
  });

  // After validation: a repeat replays; a first request opens its unit of work and claims.
  app.addHook('preHandler', async (request, reply) => {
    const idempotency = request.idempotency;
    if (!idempotency) return;
    const stored = await findIdempotentAnswer(db, idempotency.actor, idempotency.key);
    if (stored) return replay(reply, idempotency, stored);
    const unit = await beginUnitOfWork(pool);
    let claimed = false;
    try {
      claimed = await unit.run(() => claimIdempotencyKey(db, idempotency));
    } finally {
      if (!claimed) await unit.rollback();
    }
    if (!claimed) {
      // A concurrent repeat committed first: its answer is there now.
      const first = await findIdempotentAnswer(db, idempotency.actor, idempotency.key);
      if (first) return replay(reply, idempotency, first);
      return sendProblem(
        reply,
        problem(409, 'CONFLICT', 'a request with this Idempotency-Key is still running'),
      );
    }
    request.unitOfWork = unit;
  });

  // The handler runs inside the unit, so every query it makes joins the unit's transaction.
  app.addHook('preHandler', (request, _reply, done) => {
    const unit = request.unitOfWork;
    if (!unit) return done();
    unit.run(() => done());
  });

  // The answer is stored in the unit, then the unit commits: work, key and answer together.
  app.addHook('onSend', async (request, reply, payload) => {
    const unit = request.unitOfWork;
    const idempotency = request.idempotency;
    if (!unit || !unit.open || !idempotency) return payload;
    if (reply.statusCode >= 500) {
      await unit.rollback();
      return payload;
    }
    const secret = /no-store/.test(String(reply.getHeader('cache-control') ?? ''));
    const answer = secret
      ? {
          statusCode: 409,
          contentType: 'application/problem+json',
          body: JSON.stringify(
            problem(
              409,
              'CONFLICT',
              'this request was already done; its answer held a secret that is shown only once',
            ),
          ),
        }
      : {
          statusCode: reply.statusCode,
          contentType: String(reply.getHeader('content-type') ?? 'application/json'),
          body:
            typeof payload === 'string'
              ? payload
              : Buffer.isBuffer(payload)
                ? payload.toString('utf8')
                : '',
        };
    try {
      await unit.run(() => saveIdempotentAnswer(db, idempotency.actor, idempotency.key, answer));
      failpoint('before-commit');
      await unit.commit();
      failpoint('after-commit');
    } catch (error) {
      await unit.rollback().catch(() => {});
      request.log.error({ err: error }, 'the unit of work of an idempotent request did not commit');
      // Nothing was done: say so, so the client retries with the same key.
      reply.code(503).type('application/problem+json');
      return JSON.stringify(
        problem(503, 'NOT_READY', 'the request could not be completed; retry it with the same key'),
      );
    }
    return payload;
  });

  // A request that ends without an answer (the client went away) leaves nothing behind.
  const abandon = async (request: FastifyRequest) => {
    if (request.unitOfWork?.open) await request.unitOfWork.rollback().catch(() => {});
  };
  app.addHook('onResponse', abandon);
}
