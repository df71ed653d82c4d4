/**
 * R77: the work detail of T&M actuals (their entry's resource, role, category and
 * description) and the names of milestones, which the details that bill them show.
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

/**
 * R77: the work detail of T&M actuals, by actual id, read from their entries (one statement
 * for a page of rows; entries never change once submitted).
 */
export async function workDetailOfActuals(
  db: Kysely<DB>,
  actuals: readonly { contract_id: string; id: string; entry_id: string | null }[],
): Promise<Map<string, WorkDetail>> {
  const withEntry = actuals.filter((a) => a.entry_id !== null);
  const out = new Map<string, WorkDetail>();
  if (withEntry.length === 0) return out;
  const rows = await db
    .selectFrom('entries')
    .select(['contract_id', 'id', 'resource', 'role', 'category', 'description'])
    .where('contract_id', 'in', [...new Set(withEntry.map((a) => a.contract_id))])
    .where('id', 'in', [...new Set(withEntry.map((a) => a.entry_id as string))])
    .execute();
  const byEntry = new Map(rows.map((r) => [`${r.contract_id}/${r.id}`, r]));
  for (const a of withEntry) {
    const e = byEntry.get(`${a.contract_id}/${a.entry_id}`);
    if (e) {
      out.set(a.id, {
        resource: e.resource,
        role: e.role,
        category: e.category,
        description: e.description,
      });
    }
  }
  return out;
}
