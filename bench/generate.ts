/**
 * Benchmark data, written by set-based SQL (INSERT … SELECT generate_series) because only
 * the data matters here, not how it got in. It keeps the schema's invariants: contract_id
 * leads every key, every line has line customers whose split percentages sum to 100 with one
 * rounding customer, every actual comes from an approved entry and is split exactly as R3
 * splits it (rounding customer takes the residue, amounts and quantities alike), NTE status
 * says NotApplicable where no limit applies and Failed only with a failed level.
 *
 * Shape for N actuals: N/100 contracts (10,000 at 1M) of 1, 2 or 3 customers (60/40,
 * 50/30/20), two T&M lines each (every 7th second line with an NTE, every 10th contract with
 * a contract NTE), about 100 actuals per contract over two years of dates, in USD, EUR
 * and JPY. Billing status: 90 % UnbilledSalesCreated, 5 % NotReadyToInvoice, 5 %
 * ReadyToInvoice (never a Failed row).
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/db/schema.js';

export const ACTUALS_PER_CONTRACT = 100;
/** Contracts are written this many at a time, so a progress line shows and memory stays flat. */
const CONTRACT_CHUNK = 500;

const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

export interface GeneratedShape {
  contracts: number;
  customers: number;
  lines: number;
  entries: number;
  actuals: number;
  seconds: number;
}

export function shapeFor(actuals: number): { contracts: number; customers: number } {
  const contracts = Math.max(1, Math.round(actuals / ACTUALS_PER_CONTRACT));
  // More than 26 customers keeps the three customers of a contract distinct (offsets 0, 13, 26).
  return { contracts, customers: Math.max(50, Math.ceil(contracts / 5)) };
}

/** Number of customers of contract i: 1, 2 or 3 in turn. */
const NCUST = sql.raw('(1 + i % 3)');

export async function generate(
  db: Kysely<DB>,
  targetActuals: number,
  progress: (message: string) => void = () => {},
): Promise<GeneratedShape> {
  const started = performance.now();
  const { contracts: C, customers: K } = shapeFor(targetActuals);
  const A = ACTUALS_PER_CONTRACT;

  await sql`
    INSERT INTO customers (id, name) OVERRIDING SYSTEM VALUE
    SELECT k, 'Bench customer ' || k FROM generate_series(1, ${K}::int) k
  `.execute(db);
  await sql`
    INSERT INTO contracts (id, name, currency, nte_limit) OVERRIDING SYSTEM VALUE
    SELECT i, 'Bench contract ' || i,
           CASE WHEN i % 20 = 0 THEN 'JPY' WHEN i % 20 <= 5 THEN 'EUR' ELSE 'USD' END,
           CASE WHEN i % 10 = 0 THEN 1000000000000::bigint END
    FROM generate_series(1, ${C}::int) i
  `.execute(db);
  // Split percentages per customer count; position 0 is the rounding customer (R3).
  const splitPercent = sql`CASE ${NCUST} WHEN 1 THEN 100 WHEN 2 THEN (ARRAY[60,40])[j+1] ELSE (ARRAY[50,30,20])[j+1] END`;
  const customerOf = sql`((i * 7 + j * 13) % ${K}::int) + 1`;
  await sql`
    INSERT INTO contract_customers
      (contract_id, id, customer_id, split_percent, is_rounding, nte_limit, position) OVERRIDING SYSTEM VALUE
    SELECT i, (i - 1) * 3 + j + 1, ${customerOf}, ${splitPercent}, j = 0, NULL, j
    FROM generate_series(1, ${C}::int) i
    CROSS JOIN LATERAL generate_series(0, ${NCUST} - 1) j
  `.execute(db);
  await sql`
    INSERT INTO contract_lines
      (contract_id, id, name, billing_method, transaction_classes, contracted_amount, nte_limit) OVERRIDING SYSTEM VALUE
    SELECT i, (i - 1) * 2 + l + 1, 'Bench line ' || i || '/' || l, 'TimeAndMaterial',
           ARRAY['Time','Expense','Material','Fee'], NULL,
           CASE WHEN l = 1 AND i % 7 = 0 THEN 500000000000::bigint END
    FROM generate_series(1, ${C}::int) i CROSS JOIN generate_series(0, 1) l
  `.execute(db);
  await sql`
    INSERT INTO line_customers
      (contract_id, id, contract_line_id, contract_customer_id, customer_id, split_percent,
       is_rounding, nte_limit, position) OVERRIDING SYSTEM VALUE
    SELECT i, ((i - 1) * 2 + l) * 3 + j + 1, (i - 1) * 2 + l + 1, (i - 1) * 3 + j + 1,
           ${customerOf}, ${splitPercent}, j = 0, NULL, j
    FROM generate_series(1, ${C}::int) i
    CROSS JOIN generate_series(0, 1) l
    CROSS JOIN LATERAL generate_series(0, ${NCUST} - 1) j
  `.execute(db);

  progress(`contracts, customers and lines (${seconds(started)} s)`);
  const restore = await setAsideActualsIndexes(db);
  for (let from = 1; from <= C; from += CONTRACT_CHUNK) {
    const to = Math.min(C, from + CONTRACT_CHUNK - 1);
    // Every entry attribute is a function of (contract i, entry k), so the entries and their
    // actuals are computed from the same series rather than joined back: entry id
    // (i-1)*A + k (gaps are harmless), line l = k % 2.
    const entryRows = sql`
      SELECT i, k, k % 2 AS l, ${NCUST} AS ncust, (i - 1) * ${A}::int + k AS entry_id,
             (i - 1) * 2 + (k % 2) + 1 AS line_id,
             (ARRAY['Time','Time','Time','Expense','Material','Fee'])[(i + k) % 6 + 1] AS transaction_class,
             DATE '2025-01-01' + ((i * 31 + k * 17) % 730) AS date,
             ((((k * 7 + i) % 16) + 1) * 50)::numeric(16,2) / 100 AS quantity,
             (100 + (i % 9) * 12.5)::numeric(20,6) AS unit_price
      FROM generate_series(${from}::int, ${to}::int) i
      CROSS JOIN LATERAL generate_series(1, ceil(${A}::numeric / ${NCUST})::int) k
    `;
    await sql`
      INSERT INTO entries
        (contract_id, id, contract_line_id, transaction_class, date, quantity, unit_price,
         billable_quantity, resource, role, category, description, status, approved_at) OVERRIDING SYSTEM VALUE
      SELECT i, entry_id, line_id, transaction_class, date, quantity, unit_price,
             NULL, 'Resource ' || (k % 40), 'Consultant', NULL, NULL, 'Approved', now()
      FROM (${entryRows}) e
    `.execute(db);
    // R3: each non-rounding part rounds half up (40 %; 30 % and 20 %), the rounding customer
    // (position 0) takes the residue; quantities (hundredths) and amounts alike.
    const part = (total: string) =>
      sql.raw(`CASE WHEN j = 0
        THEN ${total} - CASE ncust WHEN 1 THEN 0 WHEN 2 THEN round(${total} * 0.40) ELSE round(${total} * 0.30) + round(${total} * 0.20) END
        ELSE round(${total} * CASE WHEN ncust = 2 THEN 0.40 WHEN j = 1 THEN 0.30 ELSE 0.20 END) END`);
    await sql`
      INSERT INTO actuals
        (contract_id, type, entry_id, contract_line_id, line_customer_id, customer_id,
         transaction_class, date, quantity, unit_price, amount, billing_type, billing_status,
         nte_status, nte_failed_level)
      SELECT i, 'UnbilledSales', entry_id, line_id, (line_id - 1) * 3 + j + 1, ${customerOf},
             transaction_class, date, ${part('q_total')} / 100.0, unit_price, ${part('a_total')},
             billing_type,
             CASE WHEN bucket < 5 THEN 'NotReadyToInvoice'
                  WHEN bucket < 10 AND nte <> 'Failed' THEN 'ReadyToInvoice'
                  ELSE 'UnbilledSalesCreated' END,
             nte, CASE WHEN nte = 'Failed' THEN 'ContractLine' END
      FROM (
        SELECT e.*, j, bt.billing_type, (entry_id::bigint * 7919) % 100 AS bucket,
               round(quantity * 100) AS q_total,
               round(quantity * unit_price * CASE WHEN i % 20 = 0 THEN 1 ELSE 100 END) AS a_total,
               -- R22: no limit on the contract or the line (or not chargeable): not applicable.
               CASE WHEN bt.billing_type <> 'Chargeable' OR (i % 10 <> 0 AND NOT (l = 1 AND i % 7 = 0))
                      THEN 'NotApplicable'
                    WHEN l = 1 AND i % 7 = 0 AND entry_id % 33 = 0 THEN 'Failed'
                    ELSE 'Committed' END AS nte
        FROM (${entryRows}) e
        CROSS JOIN LATERAL generate_series(0, ncust - 1) j
        CROSS JOIN LATERAL (SELECT CASE WHEN entry_id % 50 = 0 THEN 'NonChargeable' ELSE 'Chargeable' END AS billing_type) bt
      ) p
    `.execute(db);
    progress(`generated contracts ${from}..${to} of ${C} (${seconds(started)} s)`);
  }
  progress(`restoring indexes and foreign keys of actuals (${seconds(started)} s)`);
  await restore();
  // Explicit ids above: move each identity past them, so rows created through the API follow.
  for (const table of [
    'customers',
    'contracts',
    'contract_customers',
    'contract_lines',
    'line_customers',
    'entries',
  ]) {
    await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), (SELECT max(id) FROM ${sql.table(table)}))`.execute(
      db,
    );
  }
  // Steady state of a live database: statistics known, visibility map set (index-only scans).
  progress(`vacuum analyze (${seconds(started)} s)`);
  await sql`VACUUM ANALYZE`.execute(db);
  progress(`generated (${seconds(started)} s)`);
  const counts = await sql<{ lines: string; entries: string; actuals: string }>`
    SELECT (SELECT count(*) FROM contract_lines) AS lines, (SELECT count(*) FROM entries) AS entries,
           (SELECT count(*) FROM actuals) AS actuals
  `.execute(db);
  const c = counts.rows[0];
  return {
    contracts: C,
    customers: K,
    lines: Number(c?.lines),
    entries: Number(c?.entries),
    actuals: Number(c?.actuals),
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * A bulk load into a table with a dozen indexes and three foreign keys is several times
 * slower than the load plus building them once. Sets the foreign keys and secondary indexes
 * of `actuals` aside (as the catalog defines them, so whatever migrations add is kept) and
 * answers the function that puts them back; re-adding a foreign key checks every row.
 */
async function setAsideActualsIndexes(db: Kysely<DB>): Promise<() => Promise<void>> {
  const foreignKeys = await sql<{ name: string; def: string }>`
    SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
    WHERE conrelid = 'actuals'::regclass AND contype = 'f' ORDER BY conname
  `.execute(db);
  const indexes = await sql<{ name: string; def: string }>`
    SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
    WHERE i.schemaname = current_schema() AND i.tablename = 'actuals'
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conrelid = 'actuals'::regclass AND c.conname = i.indexname)
    ORDER BY i.indexname
  `.execute(db);
  for (const fk of foreignKeys.rows)
    await sql`ALTER TABLE actuals DROP CONSTRAINT ${sql.id(fk.name)}`.execute(db);
  for (const ix of indexes.rows) await sql`DROP INDEX ${sql.id(ix.name)}`.execute(db);
  return async () => {
    for (const ix of indexes.rows) await sql.raw(ix.def).execute(db);
    for (const fk of foreignKeys.rows) {
      await sql`ALTER TABLE actuals ADD CONSTRAINT ${sql.id(fk.name)} ${sql.raw(fk.def)}`.execute(
        db,
      );
    }
  };
}

/** Contract-owned tables copied by `cloneContracts`, parents first. */
const CLONED_TABLES = [
  'contracts',
  'contract_customers',
  'contract_lines',
  'line_customers',
  'invoice_schedule_dates',
  'entries',
  'actuals',
] as const;
/** Reference columns and the table whose ids they hold. */
const REFERENCES: Record<string, (typeof CLONED_TABLES)[number]> = {
  contract_id: 'contracts',
  contract_customer_id: 'contract_customers',
  contract_line_id: 'contract_lines',
  line_customer_id: 'line_customers',
  entry_id: 'entries',
  reverses_id: 'actuals',
};

/**
 * A copy of the given contracts, as they are now (lines, line customers, schedule dates,
 * entries, actuals with their statuses), by one INSERT … SELECT a table: every id shifted
 * by the table's largest id, so the copy keeps the originals' order and shape exactly. The
 * raw-SQL baselines of invoicing work on the copy while the API works on the originals, so
 * neither takes the other's items. Customers are shared. Contracts with invoices are
 * refused (invoices are not copied). Answers the copies' ids, in the originals' order.
 */
export async function cloneContracts(db: Kysely<DB>, ids: readonly string[]): Promise<string[]> {
  const invoiced = await sql<{ n: string }>`
    SELECT count(*) AS n FROM invoice_details WHERE contract_id = ANY(${ids}::bigint[])
  `.execute(db);
  if (invoiced.rows[0]?.n !== '0') throw new Error('cloneContracts: the contracts have invoices');
  const offsets = new Map<string, string>();
  for (const table of CLONED_TABLES) {
    if (table === 'invoice_schedule_dates') continue;
    // actuals.id comes from backlog_item_ids (0006), shared with milestones and retainers.
    const max =
      table === 'actuals'
        ? await sql<{
            n: string;
          }>`SELECT greatest((SELECT coalesce(max(id), 0) FROM actuals), (SELECT last_value FROM backlog_item_ids)) AS n`.execute(
            db,
          )
        : await sql<{
            n: string;
          }>`SELECT coalesce(max(id), 0) AS n FROM ${sql.table(table)}`.execute(db);
    offsets.set(table, max.rows[0]?.n ?? '0');
  }
  for (const table of CLONED_TABLES) {
    const columns = await sql<{ name: string; identity: boolean }>`
      SELECT attname AS name, attidentity <> '' AS identity FROM pg_attribute
      WHERE attrelid = ${table}::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
      ORDER BY attnum
    `.execute(db);
    const shifted = (column: string, target: string) =>
      sql`CASE WHEN ${sql.ref(column)} IS NOT NULL THEN ${sql.ref(column)} + ${offsets.get(target)}::bigint END`;
    const values = columns.rows.map(({ name }) => {
      if (name === 'id') return shifted('id', table);
      const target = REFERENCES[name];
      if (target) return shifted(name, target);
      if (table === 'contracts' && name === 'name') return sql`name || ' (raw-SQL copy)'`;
      return sql.ref(name);
    });
    const overriding = columns.rows.some((c) => c.identity) ? sql`OVERRIDING SYSTEM VALUE` : sql``;
    const key = table === 'contracts' ? sql.ref('id') : sql.ref('contract_id');
    await sql`
      INSERT INTO ${sql.table(table)} (${sql.join(columns.rows.map((c) => sql.ref(c.name)))}) ${overriding}
      SELECT ${sql.join(values)} FROM ${sql.table(table)} WHERE ${key} = ANY(${ids}::bigint[])
      ORDER BY ${table === 'invoice_schedule_dates' ? sql`contract_id, contract_line_id, run_date` : sql`id`}
    `.execute(db);
  }
  for (const table of CLONED_TABLES) {
    if (table === 'invoice_schedule_dates') continue;
    if (table === 'actuals') {
      await sql`SELECT setval('backlog_item_ids', greatest((SELECT max(id) FROM actuals), (SELECT last_value FROM backlog_item_ids)))`.execute(
        db,
      );
    } else {
      await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), (SELECT max(id) FROM ${sql.table(table)}))`.execute(
        db,
      );
    }
  }
  await sql`ANALYZE actuals`.execute(db);
  const offset = BigInt(offsets.get('contracts') ?? '0');
  return ids.map((id) => String(BigInt(id) + offset));
}
