/**
 * The foundation schema. Every table that belongs to a contract leads its primary, unique
 * and foreign keys with `contract_id` (spec §6) so it can be distributed by contract later.
 * Money is bigint minor units of the contract's currency (R1); quantities numeric(16,2),
 * unit prices numeric(20,6), percentages numeric(5,2).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE customers (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE contracts (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      currency char(3) NOT NULL,
      nte_limit bigint CHECK (nte_limit >= 0),
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE contract_customers (
      contract_id bigint NOT NULL REFERENCES contracts (id),
      id bigint GENERATED ALWAYS AS IDENTITY,
      customer_id bigint NOT NULL REFERENCES customers (id),
      split_percent numeric(5,2) NOT NULL CHECK (split_percent BETWEEN 0 AND 100),
      is_rounding boolean NOT NULL,
      nte_limit bigint CHECK (nte_limit >= 0),
      position int NOT NULL,
      PRIMARY KEY (contract_id, id),
      UNIQUE (contract_id, customer_id)
    );
    CREATE UNIQUE INDEX contract_customers_one_rounding
      ON contract_customers (contract_id) WHERE is_rounding;
    CREATE INDEX contract_customers_by_customer ON contract_customers (customer_id);

    CREATE TABLE contract_lines (
      contract_id bigint NOT NULL REFERENCES contracts (id),
      id bigint GENERATED ALWAYS AS IDENTITY,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      billing_method text NOT NULL CHECK (billing_method IN ('TimeAndMaterial', 'FixedPrice')),
      transaction_classes text[] NOT NULL,
      contracted_amount bigint CHECK (contracted_amount >= 0),
      nte_limit bigint CHECK (nte_limit >= 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (contract_id, id),
      -- R20: a contract-line NTE exists on T&M lines only.
      CHECK (billing_method = 'TimeAndMaterial' OR nte_limit IS NULL)
    );

    CREATE TABLE line_customers (
      contract_id bigint NOT NULL,
      id bigint GENERATED ALWAYS AS IDENTITY,
      contract_line_id bigint NOT NULL,
      contract_customer_id bigint NOT NULL,
      customer_id bigint NOT NULL REFERENCES customers (id),
      split_percent numeric(5,2) NOT NULL CHECK (split_percent BETWEEN 0 AND 100),
      is_rounding boolean NOT NULL,
      nte_limit bigint CHECK (nte_limit >= 0),
      position int NOT NULL,
      PRIMARY KEY (contract_id, id),
      UNIQUE (contract_id, contract_line_id, customer_id),
      FOREIGN KEY (contract_id, contract_line_id) REFERENCES contract_lines (contract_id, id),
      FOREIGN KEY (contract_id, contract_customer_id)
        REFERENCES contract_customers (contract_id, id)
    );
    CREATE UNIQUE INDEX line_customers_one_rounding
      ON line_customers (contract_id, contract_line_id) WHERE is_rounding;

    CREATE TABLE invoice_schedule_dates (
      contract_id bigint NOT NULL,
      contract_line_id bigint NOT NULL,
      run_date date NOT NULL,
      cutoff_date date NOT NULL,
      PRIMARY KEY (contract_id, contract_line_id, run_date),
      FOREIGN KEY (contract_id, contract_line_id) REFERENCES contract_lines (contract_id, id)
    );
    CREATE INDEX invoice_schedule_dates_by_run ON invoice_schedule_dates (run_date);

    CREATE TABLE entries (
      contract_id bigint NOT NULL,
      id bigint GENERATED ALWAYS AS IDENTITY,
      contract_line_id bigint NOT NULL,
      transaction_class text NOT NULL
        CHECK (transaction_class IN ('Time', 'Expense', 'Material', 'Fee')),
      date date NOT NULL,
      quantity numeric(16,2) NOT NULL CHECK (quantity > 0),
      unit_price numeric(20,6) NOT NULL CHECK (unit_price >= 0),
      billable_quantity numeric(16,2) CHECK (billable_quantity >= 0),
      resource text,
      role text,
      category text,
      description text,
      status text NOT NULL CHECK (status IN ('Submitted', 'Approved')),
      created_at timestamptz NOT NULL DEFAULT now(),
      approved_at timestamptz,
      PRIMARY KEY (contract_id, id),
      FOREIGN KEY (contract_id, contract_line_id) REFERENCES contract_lines (contract_id, id)
    );
    CREATE INDEX entries_by_id ON entries (id);

    -- The immutable ledger. Workflow fields (billing_status, nte_status, nte_failed_level,
    -- adjusted) live on unbilled rows and change only through commands; everything else
    -- is frozen by the trigger below.
    CREATE TABLE actuals (
      contract_id bigint NOT NULL,
      id bigint GENERATED ALWAYS AS IDENTITY,
      type text NOT NULL CHECK (type IN ('UnbilledSales', 'BilledSales')),
      reverses_id bigint,
      entry_id bigint,
      invoice_id bigint,
      contract_line_id bigint NOT NULL,
      line_customer_id bigint NOT NULL,
      customer_id bigint NOT NULL,
      transaction_class text NOT NULL,
      date date NOT NULL,
      quantity numeric(16,2) NOT NULL,
      unit_price numeric(20,6) NOT NULL,
      amount bigint NOT NULL,
      billing_type text NOT NULL
        CHECK (billing_type IN ('Chargeable', 'NonChargeable', 'Complimentary')),
      billing_status text CHECK (billing_status IN ('UnbilledSalesCreated', 'NotReadyToInvoice',
        'ReadyToInvoice', 'CustomerInvoiceCreated', 'CustomerInvoicePosted')),
      nte_status text CHECK (nte_status IN ('NotApplicable', 'NotEvaluated', 'Committed', 'Failed')),
      nte_failed_level text
        CHECK (nte_failed_level IN ('LineCustomer', 'ContractLine', 'ContractCustomer', 'Contract')),
      adjusted boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      PRIMARY KEY (contract_id, id),
      FOREIGN KEY (contract_id, line_customer_id) REFERENCES line_customers (contract_id, id),
      FOREIGN KEY (contract_id, entry_id) REFERENCES entries (contract_id, id),
      FOREIGN KEY (contract_id, reverses_id) REFERENCES actuals (contract_id, id),
      -- A reversal carries no workflow status and never shows in a backlog (spec §2).
      CHECK (reverses_id IS NULL OR (billing_status IS NULL AND nte_status IS NULL)),
      -- Only unbilled rows that are not reversals carry a billing status.
      CHECK (billing_status IS NULL OR (type = 'UnbilledSales' AND reverses_id IS NULL)),
      CHECK ((nte_status = 'Failed') = (nte_failed_level IS NOT NULL))
    );
    -- A row is reversed at most once.
    CREATE UNIQUE INDEX actuals_reversed_once ON actuals (contract_id, reverses_id)
      WHERE reverses_id IS NOT NULL;
    CREATE INDEX actuals_by_id ON actuals (id);
    CREATE INDEX actuals_by_entry ON actuals (contract_id, entry_id);
    CREATE INDEX actuals_ledger ON actuals (contract_id, contract_line_id, type, date, id);

    CREATE FUNCTION actuals_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'ledger rows are never deleted (actual %)', OLD.id;
      END IF;
      IF (NEW.contract_id, NEW.id, NEW.type, NEW.reverses_id, NEW.entry_id, NEW.invoice_id,
          NEW.contract_line_id, NEW.line_customer_id, NEW.customer_id, NEW.transaction_class,
          NEW.date, NEW.quantity, NEW.unit_price, NEW.amount, NEW.billing_type, NEW.created_at)
         IS DISTINCT FROM
         (OLD.contract_id, OLD.id, OLD.type, OLD.reverses_id, OLD.entry_id, OLD.invoice_id,
          OLD.contract_line_id, OLD.line_customer_id, OLD.customer_id, OLD.transaction_class,
          OLD.date, OLD.quantity, OLD.unit_price, OLD.amount, OLD.billing_type, OLD.created_at)
      THEN
        RAISE EXCEPTION 'ledger rows never change, only their workflow fields (actual %)', OLD.id;
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER actuals_immutable BEFORE UPDATE OR DELETE ON actuals
      FOR EACH ROW EXECUTE FUNCTION actuals_are_immutable();

    CREATE TABLE audit_events (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT clock_timestamp(),
      actor text NOT NULL,
      action text NOT NULL,
      entity_type text NOT NULL,
      entity_id text NOT NULL,
      contract_id bigint,
      from_status text,
      to_status text
    );
    CREATE INDEX audit_events_by_entity ON audit_events (entity_type, entity_id, id);
    CREATE INDEX audit_events_by_entity_id ON audit_events (entity_id, id);

    CREATE TABLE api_tokens (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      role text NOT NULL CHECK (role IN ('viewer', 'biller', 'approver', 'admin')),
      token_hash text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz
    );

    CREATE TABLE idempotency_keys (
      key text NOT NULL,
      actor text NOT NULL,
      method text NOT NULL,
      path text NOT NULL,
      body_hash text NOT NULL,
      status_code int NOT NULL,
      response jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (actor, key)
    );
  `.execute(db);
}
