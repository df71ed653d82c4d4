/**
 * Idempotency-Key records (spec §5). A record is claimed and answered inside the unit of
 * work of the request it answers for, so a committed record always holds its answer.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

export interface IdempotencyRequest {
  actor: string;
  key: string;
  method: string;
  path: string;
  bodyHash: string;
}

export interface StoredAnswer {
  method: string;
  path: string;
  bodyHash: string;
  statusCode: number;
  contentType: string;
  body: string;
}

export async function findIdempotentAnswer(
  db: Kysely<DB>,
  actor: string,
  key: string,
): Promise<StoredAnswer | undefined> {
  const row = await db
    .selectFrom('idempotency_keys')
    .select(['method', 'path', 'body_hash', 'status_code', 'response'])
    .where('actor', '=', actor)
    .where('key', '=', key)
    .executeTakeFirst();
  if (!row) return undefined;
  const response = (row.response ?? { contentType: 'application/json', body: '' }) as {
    contentType: string;
    body: string;
  };
  return {
    method: row.method,
    path: row.path,
    bodyHash: row.body_hash,
    statusCode: row.status_code,
    contentType: response.contentType,
    body: response.body,
  };
}

/**
 * Claims the key in the current transaction; false when another request holds it. A
 * concurrent repeat waits here on the unique key until the first commits (then false) or
 * rolls back (then it claims and runs).
 */
export async function claimIdempotencyKey(
  db: Kysely<DB>,
  request: IdempotencyRequest,
): Promise<boolean> {
  const claimed = await db
    .insertInto('idempotency_keys')
    .values({
      key: request.key,
      actor: request.actor,
      method: request.method,
      path: request.path,
      body_hash: request.bodyHash,
      status_code: 0,
      response: null,
    })
    .onConflict((oc) => oc.columns(['actor', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  return claimed !== undefined;
}

export async function saveIdempotentAnswer(
  db: Kysely<DB>,
  actor: string,
  key: string,
  answer: { statusCode: number; contentType: string; body: string },
): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({
      status_code: answer.statusCode,
      response: JSON.stringify({ contentType: answer.contentType, body: answer.body }),
    })
    .where('actor', '=', actor)
    .where('key', '=', key)
    .execute();
}
