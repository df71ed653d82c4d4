/** `q`: a case-insensitive substring of a name (spec §5), served by migration 0070's index. */
import { sql, type RawBuilder } from 'kysely';

/** The ILIKE pattern matching `q` anywhere, its own `%`, `_` and `\` taken literally. */
export function containsPattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** `column ILIKE '%q%'` (backslash is ILIKE's default escape character). */
export function nameContains(column: string, q: string): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(column)} ILIKE ${containsPattern(q)}`;
}
