/**
 * R77: the work detail of a draft's details, copied from their items in one statement per
 * kind whatever the number of details: an actual's entry (resource, role, category,
 * description), a milestone split's milestone (its name). Only details not yet described
 * are touched, so adding items to a draft leaves the others alone.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

export async function describeActualDetails(
  db: Kysely<DB>,
  invoice: { contract_id: string; id: string },
): Promise<void> {
  await sql`
    UPDATE invoice_details d
    SET description = e.description, resource = e.resource, role = e.role, category = e.category
    FROM actuals a
    JOIN entries e ON e.contract_id = a.contract_id AND e.id = a.entry_id
    WHERE d.contract_id = ${invoice.contract_id} AND d.invoice_id = ${invoice.id}
      AND d.source_type = 'Actual' AND d.kind = 'charge'
      AND d.description IS NULL AND d.resource IS NULL AND d.role IS NULL AND d.category IS NULL
      AND a.contract_id = d.contract_id AND a.id = d.source_id
  `.execute(db);
}

export async function describeMilestoneDetails(
  db: Kysely<DB>,
  invoice: { contract_id: string; id: string },
): Promise<void> {
  await sql`
    UPDATE invoice_details d
    SET description = m.name
    FROM milestone_splits s
    JOIN milestones m ON m.contract_id = s.contract_id AND m.id = s.milestone_id
    WHERE d.contract_id = ${invoice.contract_id} AND d.invoice_id = ${invoice.id}
      AND d.source_type = 'MilestoneSplit' AND d.kind = 'charge' AND d.description IS NULL
      AND s.contract_id = d.contract_id AND s.id = d.source_id
  `.execute(db);
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
