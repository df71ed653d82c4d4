/**
 * R70–R77 and R91: who issues and who receives an invoice, its terms and references, the
 * tax and the work detail of each detail, and what confirmation freezes.
 *
 * - `seller_profile` holds the one seller of the installation (R70): a single row, id 1.
 *   Like `tax_codes` it belongs to no contract and becomes a reference table (spec §6).
 * - Customers gain their billing profile (R71) as flat columns; contracts their purchase
 *   order, buyer reference and payment terms; lines and retainers a tax code (R72).
 * - Invoices gain the terms and references taken when the draft is made (R75). The due date
 *   is stored and checked against the terms, so no path can leave it stale.
 * - Confirmation freezes (R76) the parties (`seller`, `buyer` as jsonb, the shape the API
 *   shows), the contract's and lines' names the document prints, and on each detail its tax
 *   code, category, rate and exemption reason. `tax_code_id` stays as the link that makes a
 *   code "in use" (R72); the frozen columns are what a confirmed invoice is read from.
 * - Details carry the work detail (R77) copied when the item goes on the draft, and the
 *   write-down reason of R91.
 *
 * Actuals keep no copy of the work detail: every T&M actual names its entry (`entry_id`,
 * also on the actuals a correction returns), and entries never change once submitted, so the
 * T&M view joins the entry instead of widening the ledger's largest table.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE seller_profile (
      id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
      legal_name text NOT NULL CHECK (length(legal_name) BETWEEN 1 AND 200),
      address jsonb NOT NULL,
      vat_id text,
      company_id text,
      email text,
      phone text,
      electronic_address jsonb,
      bank jsonb,
      payment_instructions text,
      default_payment_terms_days integer NOT NULL DEFAULT 30
        CHECK (default_payment_terms_days BETWEEN 0 AND 3650),
      default_tax_code_id bigint REFERENCES tax_codes (id),
      invoice_footer text,
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    ALTER TABLE customers
      ADD COLUMN legal_name text CHECK (length(legal_name) BETWEEN 1 AND 200),
      ADD COLUMN address jsonb,
      ADD COLUMN vat_id text,
      ADD COLUMN company_id text,
      ADD COLUMN invoice_email text,
      ADD COLUMN buyer_reference text CHECK (length(buyer_reference) BETWEEN 1 AND 200),
      ADD COLUMN payment_terms_days integer CHECK (payment_terms_days BETWEEN 0 AND 3650),
      ADD COLUMN tax_code_id bigint REFERENCES tax_codes (id),
      ADD COLUMN electronic_address jsonb;

    ALTER TABLE contracts
      ADD COLUMN purchase_order text CHECK (length(purchase_order) BETWEEN 1 AND 200),
      ADD COLUMN buyer_reference text CHECK (length(buyer_reference) BETWEEN 1 AND 200),
      ADD COLUMN payment_terms_days integer CHECK (payment_terms_days BETWEEN 0 AND 3650);

    ALTER TABLE contract_lines ADD COLUMN tax_code_id bigint REFERENCES tax_codes (id);
    ALTER TABLE retainers ADD COLUMN tax_code_id bigint REFERENCES tax_codes (id);

    ALTER TABLE invoices
      ADD COLUMN payment_terms_days integer NOT NULL DEFAULT 30
        CHECK (payment_terms_days BETWEEN 0 AND 3650),
      ADD COLUMN due_date date,
      ADD COLUMN purchase_order text CHECK (length(purchase_order) BETWEEN 1 AND 200),
      ADD COLUMN buyer_reference text CHECK (length(buyer_reference) BETWEEN 1 AND 200),
      ADD COLUMN note text CHECK (length(note) BETWEEN 1 AND 2000),
      ADD COLUMN seller jsonb,
      ADD COLUMN buyer jsonb,
      ADD COLUMN contract_name text,
      ADD COLUMN line_names jsonb;
    -- Invoices made before terms existed: the seller's default of R70 (30 days).
    UPDATE invoices SET due_date = invoice_date + payment_terms_days;
    ALTER TABLE invoices ALTER COLUMN due_date SET NOT NULL;
    ALTER TABLE invoices ADD CONSTRAINT invoices_due_date_from_terms
      CHECK (due_date = invoice_date + payment_terms_days);

    ALTER TABLE invoice_details
      ADD COLUMN description text,
      ADD COLUMN resource text,
      ADD COLUMN role text,
      ADD COLUMN category text,
      ADD COLUMN reason text CHECK (length(reason) BETWEEN 1 AND 500),
      ADD COLUMN tax_code text,
      ADD COLUMN tax_category text
        CHECK (tax_category IN ('S', 'Z', 'E', 'AE', 'K', 'G', 'O', 'L', 'M')),
      ADD COLUMN tax_rate numeric(5,2) CHECK (tax_rate >= 0 AND tax_rate <= 100),
      ADD COLUMN tax_exemption_reason text;
    ALTER TABLE invoice_details ADD CONSTRAINT invoice_details_frozen_tax_whole
      CHECK ((tax_code IS NULL) = (tax_category IS NULL)
        AND (tax_code IS NULL) = (tax_rate IS NULL)
        AND (tax_exemption_reason IS NULL OR tax_code IS NOT NULL));
  `.execute(db);
}
