/**
 * Retainers and advances (R50–R54). A retainer belongs to one contract customer; it is
 * billed like any backlog item and, once its invoice is confirmed, drawn down by later
 * invoices through `used_amount` (R51, R53). `contract_id` leads every key (spec §6).
 *
 * `retainer_applications` holds what each invoice draws from each retainer (R52). On a draft
 * the amount is a reservation; confirming the invoice adds it to `used_amount` (R53), so
 * what a retainer can still give is `amount − used_amount − (applications on drafts)`.
 * Runs after 0004_invoices (it references `invoices`).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE retainers (
      contract_id bigint NOT NULL REFERENCES contracts (id),
      id bigint GENERATED ALWAYS AS IDENTITY,
      contract_customer_id bigint NOT NULL,
      customer_id bigint NOT NULL REFERENCES customers (id),
      kind text NOT NULL CHECK (kind IN ('Retainer', 'Advance')),
      amount bigint NOT NULL CHECK (amount > 0),
      date date NOT NULL,
      description text CHECK (length(description) <= 2000),
      -- R30: retainers start NotReadyToInvoice and never carry UnbilledSalesCreated.
      billing_status text NOT NULL DEFAULT 'NotReadyToInvoice' CHECK (billing_status IN
        ('NotReadyToInvoice', 'ReadyToInvoice', 'CustomerInvoiceCreated', 'CustomerInvoicePosted')),
      -- R53: what confirmed invoices have drawn; never more than the amount, and only once
      -- the retainer itself has been invoiced and posted (R51).
      used_amount bigint NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      PRIMARY KEY (contract_id, id),
      FOREIGN KEY (contract_id, contract_customer_id) REFERENCES contract_customers (contract_id, id),
      -- The customer is one of the contract's customers.
      FOREIGN KEY (contract_id, customer_id) REFERENCES contract_customers (contract_id, customer_id),
      CHECK (used_amount >= 0 AND used_amount <= amount),
      CHECK (used_amount = 0 OR billing_status = 'CustomerInvoicePosted')
    );
    CREATE INDEX retainers_by_id ON retainers (id);
    -- One index per filter + sort the backlog views offer (keyset on date, id).
    CREATE INDEX retainers_by_date ON retainers (date, id);
    CREATE INDEX retainers_by_contract ON retainers (contract_id, date, id);
    CREATE INDEX retainers_by_customer ON retainers (customer_id, date, id);
    CREATE INDEX retainers_by_status ON retainers (billing_status, date, id);
    -- R51: the Available view and the oldest-first draw-down (R52).
    CREATE INDEX retainers_available ON retainers (contract_id, customer_id, date, id)
      WHERE billing_status = 'CustomerInvoicePosted' AND used_amount < amount;

    CREATE TABLE retainer_applications (
      contract_id bigint NOT NULL,
      invoice_id bigint NOT NULL,
      retainer_id bigint NOT NULL,
      amount bigint NOT NULL CHECK (amount > 0),
      created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      PRIMARY KEY (contract_id, invoice_id, retainer_id),
      FOREIGN KEY (contract_id, invoice_id) REFERENCES invoices (contract_id, id),
      FOREIGN KEY (contract_id, retainer_id) REFERENCES retainers (contract_id, id)
    );
    CREATE INDEX retainer_applications_by_retainer ON retainer_applications (contract_id, retainer_id);
  `.execute(db);
}
