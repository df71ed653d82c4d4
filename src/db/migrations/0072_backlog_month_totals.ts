/**
 * Totals of every T&M backlog filter from kept sums, not from the rows (issue 18: every
 * filter ≤ 10 ms at 1M open rows beside 9M posted).
 *
 * Migration 0007 keeps a sum per (contract, customer, billing status, NTE status): about
 * 70,000 rows at 1M actuals. A filter on contract or customer reads a few of them, but a
 * filter on neither (no filter at all, a status, an NTE status) added up all 70,000 (10 ms),
 * and a transaction class or a date range, which that key does not hold, summed every row of
 * the filter (150 ms for one class at 1M).
 *
 * `tm_backlog_month_totals` keeps the same counts per (month, currency, billing status, NTE
 * status, transaction class), the filter's columns other than contract, line and customer:
 * about 1,600 rows at 1M whatever the number of contracts, growing only by month. A filter
 * without contract, line or customer reads its whole months here and sums only the days of
 * a partial first or last month from the rows (src/repositories/backlog.ts).
 *
 * Both tables are kept by the one trigger function, from one pass over the statement's
 * transition rows, folded as 0007 folds (`FOR UPDATE SKIP LOCKED`, never waiting): the month
 * rows are shared by every contract, so two writers often meet on one key, and the later one
 * then writes a row of its own that a later statement folds back.
 *
 * `contract_lines (id)`: a line filter names only the line; the page finds the line's
 * contract by it and reads that contract's rows through the contract's indexes.
 */
import { sql, type Kysely } from 'kysely';

/** The backlog rows among the rows of relation `r` (spec §5). */
const inBacklog = (r: string) =>
  `${r}.billing_status IS NOT NULL AND ${r}.type = 'UnbilledSales'
   AND ${r}.reverses_id IS NULL AND NOT ${r}.adjusted`;

/**
 * Folds the statement's `change`, summed by `key`, into `totals`: the rows of each key that
 * nobody else holds are locked and become one row with their sum plus the change; a key
 * with no free row gets a row of its own.
 */
function foldInto(totals: string, key: readonly string[], pk: readonly string[]) {
  const same = (x: string, y: string) => key.map((k) => `${x}.${k} = ${y}.${k}`).join(' AND ');
  const pkMatch = pk.map((k) => `t.${k} = r.${k}`).join(' AND ');
  const cols = key.join(', ');
  return `
      WITH d AS (
        SELECT ${cols}, sum(n)::bigint AS n, sum(amount)::bigint AS amount
        FROM unnest(change) GROUP BY ${cols} HAVING sum(n) <> 0 OR sum(amount) <> 0
      ),
      held AS (
        SELECT ${pk.map((k) => `t.${k}`).join(', ')}, ${key
          .filter((k) => !pk.includes(k))
          .map((k) => `t.${k}`)
          .join(', ')}, t.count, t.amount, d.n AS change_n, d.amount AS change_amount
        FROM ${totals} t JOIN d ON ${same('d', 't')}
        FOR UPDATE OF t SKIP LOCKED
      ),
      ranked AS (
        SELECT h.*, row_number() OVER key_rows AS rn,
               sum(h.count) OVER key_rows AS sum_n, sum(h.amount) OVER key_rows AS sum_amount
        FROM held h
        WINDOW key_rows AS (PARTITION BY ${key.map((k) => `h.${k}`).join(', ')}
                            ORDER BY h.id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
      ),
      kept AS (
        UPDATE ${totals} t SET count = r.sum_n + r.change_n, amount = r.sum_amount + r.change_amount
        FROM ranked r WHERE r.rn = 1 AND ${pkMatch}
      ),
      gone AS (
        DELETE FROM ${totals} t USING ranked r WHERE r.rn > 1 AND ${pkMatch}
      )
      INSERT INTO ${totals} (${cols}, count, amount)
      SELECT ${key.map((k) => `d.${k}`).join(', ')}, d.n, d.amount
      FROM d WHERE NOT EXISTS (SELECT 1 FROM ranked r WHERE r.rn = 1 AND ${same('d', 'r')});`;
}

const CONTRACT_KEY = ['contract_id', 'customer_id', 'billing_status', 'nte_status', 'currency'];
const MONTH_KEY = ['month', 'currency', 'billing_status', 'nte_status', 'transaction_class'];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX contract_lines_by_id ON contract_lines (id);

    CREATE TABLE tm_backlog_month_totals (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      month date NOT NULL CHECK (extract(day FROM month) = 1),
      currency text NOT NULL,
      billing_status text NOT NULL,
      -- '' for a row without an NTE status, as in tm_backlog_totals.
      nte_status text NOT NULL,
      transaction_class text NOT NULL,
      count bigint NOT NULL,
      amount bigint NOT NULL
    );
    CREATE INDEX tm_backlog_month_totals_by_key
      ON tm_backlog_month_totals (month, currency, billing_status, nte_status, transaction_class);

    CREATE TYPE tm_backlog_change AS (
      contract_id bigint, customer_id bigint, billing_status text, nte_status text,
      currency text, transaction_class text, month date, n bigint, amount bigint
    );

    CREATE OR REPLACE FUNCTION tm_backlog_totals_apply() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      change tm_backlog_change[];
    BEGIN
      IF TG_OP = 'INSERT' THEN
        SELECT coalesce(array_agg(ROW(g.*)::tm_backlog_change), '{}') INTO change FROM (
          SELECT n.contract_id, n.customer_id, n.billing_status, coalesce(n.nte_status, ''), c.currency,
                 n.transaction_class, date_trunc('month', n.date)::date, count(*), sum(n.amount)::bigint
          FROM tm_new_rows n JOIN contracts c ON c.id = n.contract_id
          WHERE ${sql.raw(inBacklog('n'))}
          GROUP BY 1, 2, 3, 4, 5, 6, 7
        ) g;
      ELSE
        SELECT coalesce(array_agg(ROW(g.*)::tm_backlog_change), '{}') INTO change FROM (
          SELECT d.contract_id, d.customer_id, d.billing_status, d.nte_status, c.currency,
                 d.transaction_class, d.month, sum(d.n)::bigint, sum(d.amount)::bigint
          FROM (
            SELECT o.contract_id, o.customer_id, o.billing_status, coalesce(o.nte_status, '') AS nte_status,
                   o.transaction_class, date_trunc('month', o.date)::date AS month, -1 AS n, -o.amount AS amount
            FROM tm_old_rows o WHERE ${sql.raw(inBacklog('o'))}
            UNION ALL
            SELECT n.contract_id, n.customer_id, n.billing_status, coalesce(n.nte_status, ''),
                   n.transaction_class, date_trunc('month', n.date)::date, 1, n.amount
            FROM tm_new_rows n WHERE ${sql.raw(inBacklog('n'))}
          ) d JOIN contracts c ON c.id = d.contract_id
          GROUP BY 1, 2, 3, 4, 5, 6, 7
          HAVING sum(d.n) <> 0 OR sum(d.amount) <> 0
        ) g;
      END IF;
      IF cardinality(change) = 0 THEN
        RETURN NULL;
      END IF;
      ${sql.raw(foldInto('tm_backlog_totals', CONTRACT_KEY, ['contract_id', 'id']))}
      ${sql.raw(foldInto('tm_backlog_month_totals', MONTH_KEY, ['id']))}
      RETURN NULL;
    END $$;

    INSERT INTO tm_backlog_month_totals (${sql.raw(MONTH_KEY.join(', '))}, count, amount)
    SELECT date_trunc('month', a.date)::date, c.currency, a.billing_status, coalesce(a.nte_status, ''),
           a.transaction_class, count(*), sum(a.amount)::bigint
    FROM actuals a JOIN contracts c ON c.id = a.contract_id
    WHERE ${sql.raw(inBacklog('a'))}
    GROUP BY 1, 2, 3, 4, 5;
  `.execute(db);
}
