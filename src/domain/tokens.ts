/**
 * API tokens are random secrets shown once; only a SHA-256 hash is stored (a token has 192
 * bits of entropy, so a slow password hash adds nothing).
 */
import { createHash, randomBytes } from 'node:crypto';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
  return `bb_${randomBytes(24).toString('base64url')}`;
}
