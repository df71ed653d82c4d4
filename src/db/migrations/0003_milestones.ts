/**
 * Fixed-price milestones (R40–R45). A milestone belongs to a fixed-price line; it has one
 * split per billed line customer (R41), each with its own billing status. The header status
 * is derived from the splits and never stored (R42). `contract_id` leads every key (§6).
 *
 * Splits carry copies of their milestone's line and date so the Fixed Price Milestones view
 * can filter and keyset-sort on one table; the date copy changes only together with the
 * milestone's date (PATCH), in the same transaction.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE milestones (
      contract_id bigint NOT NULL,
      id bigint GENERATED ALWAYS AS IDENTITY,
      contract_line_id bigint NOT NULL,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      date date NOT NULL,
      amount bigint NOT NULL CHECK (amount > 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (contract_id, id),
      FOREIGN KEY (contract_id, contract_line_id) REFERENCES contract_lines (contract_id, id)
    );
    CREATE INDEX milestones_by_id ON milestones (id);
    CREATE INDEX milestones_by_line ON milestones (contract_id, contract_line_id, date, id);

    CREATE TABLE milestone_splits (
      contract_id bigint NOT NULL,
      id bigint GENERATED ALWAYS AS IDENTITY,
      milestone_id bigint NOT NULL,
      contract_line_id bigint NOT NULL,
      line_customer_id bigint NOT NULL,
      customer_id bigint NOT NULL REFERENCES customers (id),
      date date NOT NULL,
      amount bigint NOT NULL CHECK (amount >= 0),
      billing_status text NOT NULL DEFAULT 'NotReadyToInvoice' CHECK (billing_status IN
        ('NotReadyToInvoice', 'ReadyToInvoice', 'CustomerInvoiceCreated', 'CustomerInvoicePosted')),
      -- The invoice a split is on; only an item on a draft or posted invoice has one (R32).
      invoice_id bigint,
      PRIMARY KEY (contract_id, id),
      UNIQUE (contract_id, milestone_id, line_customer_id),
      FOREIGN KEY (contract_id, milestone_id) REFERENCES milestones (contract_id, id),
      FOREIGN KEY (contract_id, contract_line_id) REFERENCES contract_lines (contract_id, id),
      FOREIGN KEY (contract_id, line_customer_id) REFERENCES line_customers (contract_id, id),
      CHECK (invoice_id IS NULL OR billing_status IN ('CustomerInvoiceCreated', 'CustomerInvoicePosted'))
    );
    CREATE INDEX milestone_splits_by_id ON milestone_splits (id);
    CREATE INDEX milestone_splits_by_date ON milestone_splits (date, id);
    CREATE INDEX milestone_splits_by_contract
      ON milestone_splits (contract_id, billing_status, date, id);
    CREATE INDEX milestone_splits_by_customer
      ON milestone_splits (customer_id, billing_status, date, id);
    CREATE INDEX milestone_splits_by_amount ON milestone_splits (amount, id);
  `.execute(db);
}
