/** API token rows, never with their hashes. */
import { sql, type Kysely } from 'kysely';
import { PREPARED_READ } from '../db/unit-of-work.js';
import type { DB, Role } from '../db/schema.js';

export interface TokenListing {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  revokedAt: string | null;
}

export async function listTokens(db: Kysely<DB>): Promise<TokenListing[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'role', 'created_at', 'revoked_at'])
    .orderBy('id')
    .execute();
  return rows.map((t) => ({
    id: t.id,
    name: t.name,
    role: t.role,
    createdAt: t.created_at.toISOString(),
    revokedAt: t.revoked_at?.toISOString() ?? null,
  }));
}

export async function hasActiveToken(db: Kysely<DB>): Promise<boolean> {
  const row = await db
    .selectFrom('api_tokens')
    .select('id')
    .where('revoked_at', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** A new token row; only the hash of the secret is stored. */
export async function insertToken(
  db: Kysely<DB>,
  token: { name: string; role: Role; tokenHash: string },
) {
  return db
    .insertInto('api_tokens')
    .values({ name: token.name, role: token.role, token_hash: token.tokenHash })
    .returning(['id', 'name', 'role', 'created_at'])
    .executeTakeFirstOrThrow();
}

/** Revokes a live token; answers false when `id` names no live token. */
export async function revokeTokenRow(db: Kysely<DB>, id: string, at: Date): Promise<boolean> {
  const row = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** The live (unrevoked) token with this hash, for authentication. */
export async function findActiveTokenByHash(
  db: Kysely<DB>,
  tokenHash: string,
): Promise<{ id: string; name: string; role: Role } | undefined> {
  // Every request asks this: prepared once per connection.
  return db
    .selectFrom('api_tokens')
    .modifyFront(sql.raw(PREPARED_READ))
    .select(['id', 'name', 'role'])
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}
