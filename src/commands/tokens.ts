import type { Role } from '../db/schema.js';
import { notFound } from '../domain/errors.js';
import { isId } from '../domain/ids.js';
import { recordAudit } from '../repositories/audit.js';
import { hashToken, newToken } from '../domain/tokens.js';
import type { CommandContext } from './context.js';

export interface CreatedToken {
  id: string;
  name: string;
  role: Role;
  /** Shown once; only its hash is stored. */
  token: string;
  createdAt: string;
}

export async function createToken(
  ctx: CommandContext,
  input: { name: string; role: Role },
): Promise<CreatedToken> {
  const token = newToken();
  const row = await ctx.db
    .insertInto('api_tokens')
    .values({ name: input.name, role: input.role, token_hash: hashToken(token) })
    .returning(['id', 'name', 'role', 'created_at'])
    .executeTakeFirstOrThrow();
  await recordAudit(ctx.db, [
    { actor: ctx.actor, action: 'createToken', entityType: 'Token', entityId: row.id },
  ]);
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    token,
    createdAt: row.created_at.toISOString(),
  };
}

export async function revokeToken(ctx: CommandContext, id: string): Promise<void> {
  if (!isId(id)) throw notFound('token', id);
  const row = await ctx.db
    .updateTable('api_tokens')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (!row) throw notFound('token', id);
  await recordAudit(ctx.db, [
    { actor: ctx.actor, action: 'revokeToken', entityType: 'Token', entityId: id },
  ]);
}
