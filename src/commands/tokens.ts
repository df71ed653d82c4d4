import type { Role } from '../domain/vocabulary.js';
import { notFound } from '../domain/errors.js';
import { isId } from '../domain/ids.js';
import { recordAudit } from '../repositories/audit.js';
import { insertToken, revokeTokenRow } from '../repositories/tokens.js';
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
  const row = await insertToken(ctx.db, { ...input, tokenHash: hashToken(token) });
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
  if (!(await revokeTokenRow(ctx.db, id, new Date()))) throw notFound('token', id);
  await recordAudit(ctx.db, [
    { actor: ctx.actor, action: 'revokeToken', entityType: 'Token', entityId: id },
  ]);
}
