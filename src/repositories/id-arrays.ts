/** Id lists as one array parameter. */
import { sql } from 'kysely';
import { isId } from '../domain/ids.js';

/**
 * `= ANY($1::bigint[])`: one parameter for any number of ids, where an `IN` list takes one
 * each (and PostgreSQL refuses more than 65,535). Strings that are no id match nothing.
 */
export function anyId(ids: readonly string[]) {
  return sql<string>`ANY(${[...new Set(ids.filter(isId))]}::bigint[])`;
}
