/**
 * R90: a setup change is audited field by field, so an audit event may name the field it
 * changed (`from`/`to` then hold that field's old and new value). Null for status moves.
 * The global audit page filters by action and contract, newest first: one index each.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE audit_events ADD COLUMN field text CHECK (length(field) BETWEEN 1 AND 100);
    CREATE INDEX audit_events_by_contract ON audit_events (contract_id, id);
    CREATE INDEX audit_events_by_action ON audit_events (action, id);
  `.execute(db);
}
