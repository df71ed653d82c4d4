/**
 * Running totals of the Time and Material Billing Backlog (spec §5: every page answers the
 * count and amount of its whole filter). Summing a wide filter over the actuals themselves
 * costs a scan of every live row on every page (about a second at 1M rows); this table keeps
 * the count and amount per (contract, customer, billing status, NTE status), so the totals
 * of a filter on those columns read a few rows instead.
 *
 * Kept by statement-level triggers on `actuals`, so no write path can forget it, in the same
 * transaction as the change it counts (a rolled-back change leaves no trace here either).
 * Rows counted are exactly the backlog view's rows: unbilled, not a reversal, not adjusted,
 * with a billing status (posted rows are kept, under their own status).
 *
 * The triggers never wait for a lock. A key may have several rows, and readers add them up:
 * each statement locks the rows of its keys that nobody else holds (`FOR UPDATE SKIP
 * LOCKED`), folds them into one row carrying their sum plus its own change, and writes its
 * change as a row of its own where another transaction holds every row of the key. Waiting instead (an
 * upsert on a unique key) made writers queue on the totals rows at the end of their
 * statements while holding item locks other writers needed: deadlocks under concurrent marks
 * and invoice runs. For the same reason the table has no foreign key to `contracts` (the
 * key-share lock it takes would wait behind every contract lock).
 */
import { sql, type Kysely } from 'kysely';

/** The key of a totals row, matched between two relations `x` and `y`. */
const sameKey = (x: string, y: string) =>
  `${x}.contract_id = ${y}.contract_id AND ${x}.customer_id = ${y}.customer_id
   AND ${x}.billing_status = ${y}.billing_status AND ${x}.nte_status = ${y}.nte_status`;

/** The backlog rows among the rows of relation `r` (spec §5). */
const inBacklog = (r: string) =>
  `${r}.billing_status IS NOT NULL AND ${r}.type = 'UnbilledSales'
   AND ${r}.reverses_id IS NULL AND NOT ${r}.adjusted`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE tm_backlog_totals (
      contract_id bigint NOT NULL,
      id bigint GENERATED ALWAYS AS IDENTITY,
      customer_id bigint NOT NULL,
      billing_status text NOT NULL,
      -- '' for a row without an NTE status, so that keys compare with = (hash joins).
      nte_status text NOT NULL,
      currency text NOT NULL,
      count bigint NOT NULL,
      amount bigint NOT NULL,
      PRIMARY KEY (contract_id, id)
    );
    CREATE INDEX tm_backlog_totals_by_key
      ON tm_backlog_totals (contract_id, customer_id, billing_status, nte_status);
    CREATE INDEX tm_backlog_totals_by_customer ON tm_backlog_totals (customer_id);
    CREATE TYPE tm_backlog_delta AS (
      contract_id bigint, customer_id bigint, billing_status text, nte_status text,
      currency text, n bigint, amount bigint
    );

    CREATE FUNCTION tm_backlog_totals_apply() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      delta tm_backlog_delta[];
    BEGIN
      IF TG_OP = 'INSERT' THEN
        SELECT coalesce(array_agg(ROW(g.*)::tm_backlog_delta), '{}') INTO delta FROM (
          SELECT n.contract_id, n.customer_id, n.billing_status, coalesce(n.nte_status, ''), c.currency,
                 count(*), sum(n.amount)::bigint
          FROM tm_new_rows n JOIN contracts c ON c.id = n.contract_id
          WHERE ${sql.raw(inBacklog('n'))}
          GROUP BY 1, 2, 3, 4, 5
        ) g;
      ELSE
        SELECT coalesce(array_agg(ROW(g.*)::tm_backlog_delta), '{}') INTO delta FROM (
          SELECT d.contract_id, d.customer_id, d.billing_status, d.nte_status, c.currency,
                 sum(d.n)::bigint, sum(d.amount)::bigint
          FROM (
            SELECT o.contract_id, o.customer_id, o.billing_status, coalesce(o.nte_status, '') AS nte_status, -1 AS n, -o.amount AS amount
            FROM tm_old_rows o WHERE ${sql.raw(inBacklog('o'))}
            UNION ALL
            SELECT n.contract_id, n.customer_id, n.billing_status, coalesce(n.nte_status, ''), 1, n.amount
            FROM tm_new_rows n WHERE ${sql.raw(inBacklog('n'))}
          ) d JOIN contracts c ON c.id = d.contract_id
          GROUP BY 1, 2, 3, 4, 5
          HAVING sum(d.n) <> 0 OR sum(d.amount) <> 0
        ) g;
      END IF;
      IF cardinality(delta) = 0 THEN
        RETURN NULL;
      END IF;
      -- Fold the change into the rows of its keys that nobody else holds: the oldest held
      -- row of a key takes the sum, the other held rows go; a key with no free row gets a
      -- row of its own.
      WITH d AS (SELECT * FROM unnest(delta)),
      held AS (
        SELECT t.contract_id, t.id, t.customer_id, t.billing_status, t.nte_status, t.count, t.amount,
               d.n AS change_n, d.amount AS change_amount
        FROM tm_backlog_totals t JOIN d ON ${sql.raw(sameKey('d', 't'))}
        FOR UPDATE OF t SKIP LOCKED
      ),
      ranked AS (
        SELECT h.contract_id, h.id, h.customer_id, h.billing_status, h.nte_status,
               h.change_n, h.change_amount, row_number() OVER key_rows AS rn,
               sum(h.count) OVER key_rows AS n, sum(h.amount) OVER key_rows AS amount
        FROM held h
        WINDOW key_rows AS (PARTITION BY h.contract_id, h.customer_id, h.billing_status, h.nte_status
                            ORDER BY h.id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
      ),
      kept AS (
        UPDATE tm_backlog_totals t SET count = r.n + r.change_n, amount = r.amount + r.change_amount
        FROM ranked r
        WHERE r.rn = 1 AND t.contract_id = r.contract_id AND t.id = r.id
      ),
      gone AS (
        DELETE FROM tm_backlog_totals t USING ranked r
        WHERE r.rn > 1 AND t.contract_id = r.contract_id AND t.id = r.id
      )
      INSERT INTO tm_backlog_totals (contract_id, customer_id, billing_status, nte_status, currency, count, amount)
      SELECT d.contract_id, d.customer_id, d.billing_status, d.nte_status, d.currency, d.n, d.amount
      FROM d WHERE NOT EXISTS (SELECT 1 FROM ranked r WHERE r.rn = 1 AND ${sql.raw(sameKey('d', 'r'))});
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
    SELECT a.contract_id, a.customer_id, a.billing_status, coalesce(a.nte_status, ''), c.currency, count(*), sum(a.amount)::bigint
    FROM actuals a JOIN contracts c ON c.id = a.contract_id
    WHERE ${sql.raw(inBacklog('a'))}
    GROUP BY 1, 2, 3, 4, 5;
  `.execute(db);
}
