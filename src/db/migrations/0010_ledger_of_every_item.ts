/**
 * The ledger records every invoice, whatever its items (R68), and no actual that was not
 * checked against its caps can be billed (R28, R29).
 *
 * - Every ledger row names the backlog item it records (`source_type`, `source_id`) and a
 *   retainer draw its retainer (`retainer_id`). Rows of retainers and advances have no
 *   contract line; milestone, retainer and advance rows use their own classes.
 * - Existing rows are given their source: an unbilled row is its own, a reversal records
 *   what the row it reverses records, and a T&M BilledSales row the unbilled actual of the
 *   detail that posted it. Confirm wrote those rows in detail order, one per detail and a
 *   second (the NonChargeable rest, R62) where the quantity was reduced, so the k-th row of
 *   an invoice belongs to the detail whose rows cover k.
 * - The BilledSales rows that confirming milestone and retainer invoices did not write
 *   before are written now, exactly as R68 writes them; each is written only where it is
 *   missing, so running this again changes nothing.
 * - R28: a check refuses a ready, drafted or posted actual whose NTE status is NotEvaluated
 *   or Failed. Rows that broke it before are repaired first, audited: a ready one goes back
 *   to NotReadyToInvoice; one already on a draft or posted counts as Committed (the invoice
 *   bills it, so the cap must count it).
 * - R29: `invoice_details.nte_excess`, what a draft edit added to committed.
 */
import { sql, type Kysely } from 'kysely';
import { currencyExponent } from '../../domain/money.js';
import { LEDGER_CLASSES, SOURCE_TYPES } from '../../domain/vocabulary.js';

const list = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

/** The columns of a ledger row that never change once written (spec §2). */
const FROZEN = [
  'contract_id',
  'id',
  'type',
  'reverses_id',
  'entry_id',
  'invoice_id',
  'contract_line_id',
  'line_customer_id',
  'customer_id',
  'transaction_class',
  'source_type',
  'source_id',
  'retainer_id',
  'date',
  'quantity',
  'unit_price',
  'amount',
  'billing_type',
  'created_at',
];
const row = (alias: string) => sql.raw(FROZEN.map((c) => `${alias}.${c}`).join(', '));

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE actuals
      ALTER COLUMN contract_line_id DROP NOT NULL,
      ALTER COLUMN line_customer_id DROP NOT NULL,
      ADD COLUMN source_type text NOT NULL DEFAULT 'Actual'
        CHECK (source_type IN (${list(SOURCE_TYPES)})),
      ADD COLUMN source_id bigint,
      ADD COLUMN retainer_id bigint,
      ADD FOREIGN KEY (contract_id, retainer_id) REFERENCES retainers (contract_id, id),
      ADD CHECK (transaction_class IN (${list(LEDGER_CLASSES)})),
      -- Only the rows of a retainer or advance are on no contract line (R68).
      ADD CHECK ((contract_line_id IS NOT NULL AND line_customer_id IS NOT NULL)
                 OR source_type = 'Retainer'),
      -- Milestones and retainers have no unbilled rows: only billed ones (R27, R68).
      ADD CHECK (source_type = 'Actual' OR (type = 'BilledSales' AND entry_id IS NULL)),
      ADD CHECK (retainer_id IS NULL OR source_type = 'Retainer');
  `.execute(db);

  // Backfill with the triggers off: the immutability trigger forbids exactly this, and the
  // running totals do not count any of these columns.
  await sql`ALTER TABLE actuals DISABLE TRIGGER USER`.execute(db);
  await sql`
    UPDATE actuals SET source_id = id
    WHERE source_id IS NULL AND type = 'UnbilledSales' AND reverses_id IS NULL;

    WITH parts AS (
      SELECT d.contract_id, d.invoice_id, d.id AS detail_id, d.source_id,
             CASE WHEN d.kind = 'charge' AND d.quantity < d.original_quantity THEN 2 ELSE 1 END AS n
      FROM invoice_details d
      JOIN invoices i ON i.contract_id = d.contract_id AND i.id = d.invoice_id
      WHERE d.source_type = 'Actual' AND d.removed_at IS NULL AND i.status = 'Confirmed'
    ),
    ranged AS (
      SELECT p.*, sum(p.n) OVER (PARTITION BY p.contract_id, p.invoice_id ORDER BY p.detail_id) - p.n AS first
      FROM parts p
    ),
    billed AS (
      SELECT a.contract_id, a.id, a.invoice_id, a.entry_id, a.line_customer_id,
             row_number() OVER (PARTITION BY a.contract_id, a.invoice_id ORDER BY a.id) - 1 AS k
      FROM actuals a
      WHERE a.type = 'BilledSales' AND a.invoice_id IS NOT NULL AND a.source_id IS NULL
    )
    UPDATE actuals t SET source_id = r.source_id
    FROM billed b
    JOIN ranged r ON r.contract_id = b.contract_id AND r.invoice_id = b.invoice_id
                 AND b.k >= r.first AND b.k < r.first + r.n
    JOIN actuals u ON u.contract_id = r.contract_id AND u.id = r.source_id
    WHERE t.contract_id = b.contract_id AND t.id = b.id
      AND u.entry_id IS NOT DISTINCT FROM b.entry_id AND u.line_customer_id = b.line_customer_id;

    -- Should the order ever not match (it always has), the detail of the same invoice whose
    -- actual is of the same entry and line customer.
    UPDATE actuals t SET source_id = (
      SELECT d.source_id FROM invoice_details d
      JOIN actuals u ON u.contract_id = d.contract_id AND u.id = d.source_id
      WHERE d.contract_id = t.contract_id AND d.invoice_id = t.invoice_id
        AND d.source_type = 'Actual' AND d.removed_at IS NULL
        AND u.entry_id IS NOT DISTINCT FROM t.entry_id AND u.line_customer_id = t.line_customer_id
      ORDER BY d.id LIMIT 1)
    WHERE t.source_id IS NULL AND t.type = 'BilledSales';

    UPDATE actuals t SET source_id = o.source_id
    FROM actuals o
    WHERE t.source_id IS NULL AND t.reverses_id IS NOT NULL
      AND o.contract_id = t.contract_id AND o.id = t.reverses_id;

    -- Nothing is left without a source; a row that still is records itself.
    UPDATE actuals SET source_id = id WHERE source_id IS NULL;
  `.execute(db);
  await sql`ALTER TABLE actuals ENABLE TRIGGER USER`.execute(db);

  await sql`
    ALTER TABLE actuals ALTER COLUMN source_id SET NOT NULL;

    -- An unbilled actual that names no source records itself.
    CREATE FUNCTION actuals_source_is_self() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.source_id := NEW.id;
      RETURN NEW;
    END $$;
    CREATE TRIGGER actuals_source_default BEFORE INSERT ON actuals
      FOR EACH ROW WHEN (NEW.source_id IS NULL) EXECUTE FUNCTION actuals_source_is_self();

    CREATE OR REPLACE FUNCTION actuals_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'ledger rows are never deleted (actual %)', OLD.id;
      END IF;
      IF (${row('NEW')}) IS DISTINCT FROM (${row('OLD')}) THEN
        RAISE EXCEPTION 'ledger rows never change, only their workflow fields (actual %)', OLD.id;
      END IF;
      RETURN NEW;
    END $$;

    -- R68: one billed row per milestone or retainer detail, one per retainer draw.
    CREATE UNIQUE INDEX actuals_billed_item_once ON actuals (contract_id, invoice_id, source_type, source_id)
      WHERE type = 'BilledSales' AND source_type <> 'Actual' AND retainer_id IS NULL;
    CREATE UNIQUE INDEX actuals_draw_once ON actuals (contract_id, invoice_id, retainer_id)
      WHERE retainer_id IS NOT NULL;

    ALTER TABLE invoice_details
      ADD COLUMN nte_excess bigint NOT NULL DEFAULT 0 CHECK (nte_excess >= 0);
    CREATE INDEX invoice_details_nte_excess ON invoice_details (contract_id) WHERE nte_excess > 0;
  `.execute(db);

  await writeMissingLedgerRows(db);
  await repairUncheckedActuals(db);
  await sql`
    ALTER TABLE actuals ADD CONSTRAINT actuals_invoiceable_only_when_checked CHECK (
      billing_status IS NULL
      OR billing_status IN ('UnbilledSalesCreated', 'NotReadyToInvoice')
      OR nte_status IN ('Committed', 'NotApplicable'));
  `.execute(db);
}

/** R68's rows for the milestone and retainer invoices confirmed before it (idempotent). */
export async function writeMissingLedgerRows(db: Kysely<unknown>): Promise<void> {
  const currencies = await sql<{ currency: string }>`
    SELECT DISTINCT currency FROM invoices WHERE status = 'Confirmed'
  `.execute(db);
  if (currencies.rows.length === 0) return;
  const exponents = sql.join(
    currencies.rows.map((c) => sql`(${c.currency}::text, ${currencyExponent(c.currency)}::int)`),
  );
  await sql`
    -- A milestone split's row: class Milestone, its line and customer; a retainer's or an
    -- advance's: its kind as the class, on no contract line (detail rows have none).
    INSERT INTO actuals (contract_id, type, invoice_id, contract_line_id, line_customer_id,
      customer_id, transaction_class, source_type, source_id, date, quantity, unit_price,
      amount, billing_type)
    SELECT d.contract_id, 'BilledSales', d.invoice_id, d.contract_line_id, s.line_customer_id,
      d.customer_id, coalesce(r.kind, 'Milestone'), d.source_type, d.source_id, d.date,
      d.quantity, d.unit_price, d.amount, d.billing_type
    FROM invoice_details d
    JOIN invoices i ON i.contract_id = d.contract_id AND i.id = d.invoice_id
    LEFT JOIN milestone_splits s ON d.source_type = 'MilestoneSplit'
      AND s.contract_id = d.contract_id AND s.id = d.source_id
    LEFT JOIN retainers r ON d.source_type = 'Retainer'
      AND r.contract_id = d.contract_id AND r.id = d.source_id
    WHERE i.status = 'Confirmed' AND d.removed_at IS NULL
      AND (s.id IS NOT NULL OR r.id IS NOT NULL)
      AND NOT EXISTS (SELECT 1 FROM actuals a
        WHERE a.contract_id = d.contract_id AND a.invoice_id = d.invoice_id
          AND a.type = 'BilledSales' AND a.source_type = d.source_type
          AND a.source_id = d.source_id AND a.retainer_id IS NULL)
    ORDER BY i.confirmed_at, d.id;
  `.execute(db);
  // A draw is minus the applied amount (a give-back, a negative application, is plus).
  await sql`
    INSERT INTO actuals (contract_id, type, invoice_id, contract_line_id, line_customer_id,
      customer_id, transaction_class, source_type, source_id, retainer_id, date, quantity,
      unit_price, amount, billing_type)
    SELECT ra.contract_id, 'BilledSales', ra.invoice_id, NULL, NULL, r.customer_id, r.kind,
      'Retainer', r.id, r.id, i.invoice_date,
      CASE WHEN ra.amount > 0 THEN -1 ELSE 1 END,
      abs(ra.amount)::numeric / power(10::numeric, e.exponent),
      -ra.amount, 'Chargeable'
    FROM retainer_applications ra
    JOIN invoices i ON i.contract_id = ra.contract_id AND i.id = ra.invoice_id
    JOIN retainers r ON r.contract_id = ra.contract_id AND r.id = ra.retainer_id
    JOIN (VALUES ${exponents}) AS e(currency, exponent) ON e.currency = i.currency
    WHERE i.status = 'Confirmed'
      AND NOT EXISTS (SELECT 1 FROM actuals a
        WHERE a.contract_id = ra.contract_id AND a.invoice_id = ra.invoice_id
          AND a.retainer_id = ra.retainer_id)
    ORDER BY i.confirmed_at, r.date, r.id;
  `.execute(db);
}

/** R28 for rows written before the rule: audited, so the trail shows why each moved. */
async function repairUncheckedActuals(db: Kysely<unknown>): Promise<void> {
  await sql`
    WITH moved AS (
      UPDATE actuals SET billing_status = 'NotReadyToInvoice'
      WHERE billing_status = 'ReadyToInvoice' AND nte_status IN ('NotEvaluated', 'Failed')
      RETURNING contract_id, id
    )
    INSERT INTO audit_events (actor, action, entity_type, entity_id, contract_id, from_status, to_status)
    SELECT 'upgrade', 'enforceR28', 'Actual', id::text, contract_id, 'ReadyToInvoice', 'NotReadyToInvoice'
    FROM moved;

    WITH counted AS (
      UPDATE actuals a SET nte_status = 'Committed', nte_failed_level = NULL
      FROM (SELECT contract_id, id, nte_status FROM actuals
            WHERE billing_status IN ('CustomerInvoiceCreated', 'CustomerInvoicePosted')
              AND nte_status IN ('NotEvaluated', 'Failed')) old
      WHERE a.contract_id = old.contract_id AND a.id = old.id
      RETURNING a.contract_id, a.id, old.nte_status
    )
    INSERT INTO audit_events (actor, action, entity_type, entity_id, contract_id, from_status, to_status)
    SELECT 'upgrade', 'enforceR28', 'Actual', id::text, contract_id, nte_status, 'Committed'
    FROM counted;
  `.execute(db);
}
