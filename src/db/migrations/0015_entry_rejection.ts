/**
 * R16: an entry can be rejected with a reason, and a cancelled approval leaves it Cancelled.
 * The status check takes the two new states; the reason is stored on the entry, present
 * exactly when it is Rejected. The approver's queue (`GET /entries?status=Submitted`) reads
 * entries by status in date order: one index serves it, with or without a contract filter
 * (that one also has the primary key's contract_id to start from).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE entries DROP CONSTRAINT entries_status_check;
    ALTER TABLE entries ADD CONSTRAINT entries_status_check
      CHECK (status IN ('Submitted', 'Approved', 'Rejected', 'Cancelled'));
    ALTER TABLE entries ADD COLUMN rejection_reason text
      CHECK (length(rejection_reason) BETWEEN 1 AND 500);
    ALTER TABLE entries ADD CONSTRAINT entries_rejection_reason_when_rejected
      CHECK ((status = 'Rejected') = (rejection_reason IS NOT NULL));
    CREATE INDEX entries_by_status ON entries (status, date, id);
    CREATE INDEX entries_by_contract_status ON entries (contract_id, status, date, id);
  `.execute(db);
}
