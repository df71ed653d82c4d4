/**
 * Invoices (R60–R67). Every invoice-owned table leads its keys with `contract_id` (spec §6);
 * the number counter and the number registry are installation-wide reference tables.
 *
 * An invoice detail is backed by one source item: an unbilled actual, a milestone split or a
 * retainer/advance (`source_type`, `source_id`). R67 is enforced by the partial unique index
 * `invoice_details_one_active_claim`: an item is on at most one active charge detail.
 * Removing a detail from a draft (or deleting the draft) clears `active` and sets
 * `removed_at`; a confirmed correction clears `active` on the detail it credits (the claim
 * is released) but the detail stays on its confirmed invoice.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- R63: one gapless sequence for the installation. UPDATE … RETURNING inside the confirm
    -- transaction; a rollback gives the number back.
    CREATE TABLE invoice_counters (
      name text PRIMARY KEY,
      next bigint NOT NULL CHECK (next >= 1)
    );
    INSERT INTO invoice_counters (name, next) VALUES ('invoice', 1);

    -- R66: one row per contract and run date; the row is upserted (and so locked) by every
    -- run over that date, after the contract row.
    CREATE TABLE invoice_runs (
      contract_id bigint NOT NULL REFERENCES contracts (id),
      id bigint GENERATED ALWAYS AS IDENTITY,
      run_date date NOT NULL,
      runs int NOT NULL DEFAULT 1,
      first_run_at timestamptz NOT NULL DEFAULT now(),
      last_run_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (contract_id, id),
      UNIQUE (contract_id, run_date)
    );

    CREATE TABLE invoices (
      contract_id bigint NOT NULL REFERENCES contracts (id),
      id bigint GENERATED ALWAYS AS IDENTITY,
      customer_id bigint NOT NULL REFERENCES customers (id),
      status text NOT NULL CHECK (status IN ('Draft', 'Confirmed')),
      number text,
      invoice_date date NOT NULL,
      currency char(3) NOT NULL,
      corrects_invoice_id bigint,
      run_id bigint,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      confirmed_at timestamptz,
      PRIMARY KEY (contract_id, id),
      UNIQUE (contract_id, number),
      FOREIGN KEY (contract_id, corrects_invoice_id) REFERENCES invoices (contract_id, id),
      FOREIGN KEY (contract_id, run_id) REFERENCES invoice_runs (contract_id, id),
      -- R63: a number exactly when confirmed.
      CHECK ((status = 'Confirmed') = (number IS NOT NULL)),
      CHECK ((status = 'Confirmed') = (confirmed_at IS NOT NULL))
    );
    CREATE INDEX invoices_by_id ON invoices (id);
    CREATE INDEX invoices_by_status ON invoices (status, id);
    CREATE INDEX invoices_by_customer ON invoices (customer_id, id);
    CREATE INDEX invoices_corrections ON invoices (contract_id, corrects_invoice_id)
      WHERE corrects_invoice_id IS NOT NULL;

    -- R63: no two invoices share a number, across every contract (a reference table, so
    -- no foreign key into the contract-owned invoices).
    CREATE TABLE invoice_numbers (
      number bigint PRIMARY KEY,
      contract_id bigint NOT NULL,
      invoice_id bigint NOT NULL
    );

    CREATE TABLE invoice_details (
      contract_id bigint NOT NULL,
      id bigint GENERATED ALWAYS AS IDENTITY,
      invoice_id bigint NOT NULL,
      source_type text NOT NULL CHECK (source_type IN ('Actual', 'MilestoneSplit', 'Retainer')),
      source_id bigint NOT NULL,
      kind text NOT NULL CHECK (kind IN ('charge', 'credit')),
      active boolean NOT NULL DEFAULT true,
      removed_at timestamptz,
      -- null for retainer and advance details (R61).
      contract_line_id bigint,
      customer_id bigint NOT NULL,
      transaction_class text,
      date date NOT NULL,
      original_quantity numeric(16,2) NOT NULL,
      quantity numeric(16,2) NOT NULL,
      unit_price numeric(20,6) NOT NULL,
      original_amount bigint NOT NULL,
      amount bigint NOT NULL,
      billing_type text NOT NULL
        CHECK (billing_type IN ('Chargeable', 'NonChargeable', 'Complimentary')),
      corrects_detail_id bigint,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      PRIMARY KEY (contract_id, id),
      FOREIGN KEY (contract_id, invoice_id) REFERENCES invoices (contract_id, id),
      FOREIGN KEY (contract_id, contract_line_id) REFERENCES contract_lines (contract_id, id),
      FOREIGN KEY (contract_id, corrects_detail_id) REFERENCES invoice_details (contract_id, id),
      CHECK ((kind = 'credit') = (corrects_detail_id IS NOT NULL)),
      CHECK (removed_at IS NULL OR NOT active),
      -- a charge bills a non-negative quantity; a credit carries the negative difference (R65)
      CHECK (kind = 'credit' OR quantity >= 0),
      CHECK (kind = 'charge' OR quantity <= 0)
    );
    -- R67: an item is on at most one active charge detail, whatever races.
    CREATE UNIQUE INDEX invoice_details_one_active_claim
      ON invoice_details (contract_id, source_type, source_id) WHERE active AND kind = 'charge';
    CREATE INDEX invoice_details_of_invoice ON invoice_details (contract_id, invoice_id, id);
    CREATE INDEX invoice_details_by_id ON invoice_details (id);
    CREATE INDEX invoice_details_credits ON invoice_details (contract_id, corrects_detail_id)
      WHERE corrects_detail_id IS NOT NULL;
  `.execute(db);
}
