/**
 * R72: tax codes, one installation-wide reference table (no contract owns a tax code, so it
 * carries no contract_id and becomes a reference table when distributed, spec §6). The code
 * is unique whatever its case, so `S19` and `s19` cannot both exist. `rate` is a percent with
 * two decimals. The category rules (S needs a rate > 0, …) live in src/domain/tax-codes.ts;
 * the checks here keep the table sound whatever writes it.
 *
 * `invoice_details.tax_code_id` is where R73 will put a detail's code; nothing sets it yet.
 * It already answers R72's "in use": a code on any invoice detail keeps its category, rate
 * and exemption reason. Its foreign key takes a KEY SHARE lock on the tax code, which a
 * PATCH's `FOR UPDATE` waits for, so a code cannot change under a detail being written.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE tax_codes (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      code text NOT NULL CHECK (length(code) BETWEEN 1 AND 30),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      category text NOT NULL
        CHECK (category IN ('S', 'Z', 'E', 'AE', 'K', 'G', 'O', 'L', 'M')),
      rate numeric(5,2) NOT NULL CHECK (rate >= 0 AND rate <= 100),
      exemption_reason text CHECK (length(exemption_reason) BETWEEN 1 AND 500),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX tax_codes_code_key ON tax_codes (lower(code));
    ALTER TABLE invoice_details ADD COLUMN tax_code_id bigint REFERENCES tax_codes (id);
    CREATE INDEX invoice_details_by_tax_code ON invoice_details (tax_code_id)
      WHERE tax_code_id IS NOT NULL;
  `.execute(db);
}
