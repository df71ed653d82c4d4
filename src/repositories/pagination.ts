/**
 * Keyset pagination: the cursor is an opaque base64url of the last row's sort key and id.
 * Any page depth costs the same as the first.
 */
import { MalformedInputError } from '../domain/errors.js';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type CursorKey = (string | null)[];

/** What each position of a cursor key must look like, so a forged cursor never reaches SQL. */
export type CursorPart = 'id' | 'date' | 'integer' | 'text';

const PART_PATTERNS: Record<CursorPart, RegExp> = {
  id: /^[1-9]\d{0,17}$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  integer: /^-?\d{1,18}$/,
  text: /^[\s\S]{0,200}$/,
};

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(
  cursor: string | undefined,
  shape: readonly CursorPart[],
): CursorKey | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(key) &&
      key.length === shape.length &&
      key.every((k, i) => typeof k === 'string' && PART_PATTERNS[shape[i] as CursorPart].test(k))
    ) {
      return key as CursorKey;
    }
  } catch {
    // fall through to the validation error
  }
  throw new MalformedInputError('cursor', 'the cursor is not one this API gave out');
}

/** Cuts the extra row fetched to learn whether another page exists. */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  present: (row: R) => T,
  keyOf: (row: R) => CursorKey,
): Page<T> {
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map(present),
    nextCursor: more && last ? encodeCursor(keyOf(last)) : null,
  };
}
