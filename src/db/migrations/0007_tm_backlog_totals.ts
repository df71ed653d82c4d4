/**
 * Running totals of the Time and Material Billing Backlog (spec §5: every page answers the
 * count and amount of its whole filter). Summing a wide filter over the actuals themselves
 * costs a scan of every live row on every page (about a second at 1M rows); this table keeps
 * one row per (contract, customer, billing status, NTE status) with its count and amount, so
 * the totals of a filter on those columns read a few rows instead.
 *
 * The table is kept by statement-level triggers on `actuals`, so no write path can forget it:
 * each INSERT or UPDATE statement adds the change of its rows (a row leaving the backlog
 * subtracts, a row entering adds), grouped per key and applied in key order, so concurrent
 * statements lock the totals rows in one order. It lives in the same transaction as the
 * change it counts: a rolled-back change leaves no trace here either.
 *
 * Rows counted are exactly the backlog view's rows: unbilled, not a reversal, not adjusted,
 * with a billing status (posted rows are kept, under their own status).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE tm_backlog_totals (
      contract_id bigint NOT NULL REFERENCES contracts (id),
      customer_id bigint NOT NULL,
      billing_status text NOT NULL,
      nte_status text,
      currency text NOT NULL,
      count bigint NOT NULL,
      amount bigint NOT NULL,
      UNIQUE NULLS NOT DISTINCT (contract_id, customer_id, billing_status, nte_status)
    );
    CREATE INDEX tm_backlog_totals_by_customer ON tm_backlog_totals (customer_id);

    CREATE FUNCTION tm_backlog_totals_apply() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO tm_backlog_totals AS t
          (contract_id, customer_id, billing_status, nte_status, currency, count, amount)
        SELECT n.contract_id, n.customer_id, n.billing_status, n.nte_status, c.currency,
               count(*), sum(n.amount)::bigint
        FROM tm_new_rows n JOIN contracts c ON c.id = n.contract_id
        WHERE n.billing_status IS NOT NULL AND n.type = 'UnbilledSales'
          AND n.reverses_id IS NULL AND NOT n.adjusted
        GROUP BY 1, 2, 3, 4, 5
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (contract_id, customer_id, billing_status, nte_status)
        DO UPDATE SET count = t.count + excluded.count, amount = t.amount + excluded.amount;
      ELSE
        INSERT INTO tm_backlog_totals AS t
          (contract_id, customer_id, billing_status, nte_status, currency, count, amount)
        SELECT d.contract_id, d.customer_id, d.billing_status, d.nte_status, c.currency,
               sum(d.n)::bigint, sum(d.amount)::bigint
        FROM (
          SELECT o.contract_id, o.customer_id, o.billing_status, o.nte_status, -1 AS n, -o.amount AS amount
          FROM tm_old_rows o
          WHERE o.billing_status IS NOT NULL AND o.type = 'UnbilledSales'
            AND o.reverses_id IS NULL AND NOT o.adjusted
          UNION ALL
          SELECT n.contract_id, n.customer_id, n.billing_status, n.nte_status, 1, n.amount
          FROM tm_new_rows n
          WHERE n.billing_status IS NOT NULL AND n.type = 'UnbilledSales'
            AND n.reverses_id IS NULL AND NOT n.adjusted
        ) d JOIN contracts c ON c.id = d.contract_id
        GROUP BY 1, 2, 3, 4, 5
        HAVING sum(d.n) <> 0 OR sum(d.amount) <> 0
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (contract_id, customer_id, billing_status, nte_status)
        DO UPDATE SET count = t.count + excluded.count, amount = t.amount + excluded.amount;
      END IF;
      RETURN NULL;
    END $$;

    -- A trigger with transition tables serves one event, hence two.
    CREATE TRIGGER actuals_tm_totals_insert AFTER INSERT ON actuals
      REFERENCING NEW TABLE AS tm_new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION tm_backlog_totals_apply();
    CREATE TRIGGER actuals_tm_totals_update AFTER UPDATE ON actuals
      REFERENCING OLD TABLE AS tm_old_rows NEW TABLE AS tm_new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION tm_backlog_totals_apply();

    INSERT INTO tm_backlog_totals (contract_id, customer_id, billing_status, nte_status, currency, count, amount)
    SELECT a.contract_id, a.customer_id, a.billing_status, a.nte_status, c.currency, count(*), sum(a.amount)::bigint
    FROM actuals a JOIN contracts c ON c.id = a.contract_id
    WHERE a.billing_status IS NOT NULL AND a.type = 'UnbilledSales' AND a.reverses_id IS NULL AND NOT a.adjusted
    GROUP BY 1, 2, 3, 4, 5;
  `.execute(db);
}
