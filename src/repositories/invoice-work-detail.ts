/**
 * R77: the work detail of T&M actuals (their entry's resource, role, category and
 * description; read with the rows that show it) and the names of milestones, which the
 * details that bill them show.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

/** R77: the names of a contract's milestones, by id (a milestone detail carries its name). */
export async function milestoneNames(
  db: Kysely<DB>,
  contractId: string,
  milestoneIds: readonly string[],
): Promise<Map<string, string>> {
  if (milestoneIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('milestones')
    .select(['id', 'name'])
    .where('contract_id', '=', contractId)
    .where('id', 'in', [...new Set(milestoneIds)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export interface WorkDetail {
  resource: string | null;
  role: string | null;
  category: string | null;
  description: string | null;
}
