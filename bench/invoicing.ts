/**
 * Invoicing operations: an invoice run over many contracts of ready items, bulk-confirming
 * its drafts, creating and confirming one large invoice. Each runs through the API on some
 * contracts and as raw SQL (bench/raw-sql.ts) on an exact copy of them made beforehand
 * (`cloneContracts`), so neither takes the other's items; afterwards both sets of contracts
 * must hold the same rows per table and status (`invoicingShape`), or the bench fails. Each
 * is heavy, so each runs once per benchmark run. The items are made ready by SQL beforehand
 * (setup, not timed).
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/db/schema.js';
import { cloneContracts } from './generate.js';
import type { BenchContext, Measurement } from './operations.js';
import { invoicingShape, rawConfirmInvoices, rawCreateDrafts } from './raw-sql.js';
import { ApiError } from './server.js';
import { summarize } from './stats.js';

const RUN_DATE = '2027-01-31';

interface InvoiceAnswer {
  id: string;
  lines: { details: unknown[] }[];
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await work();
  return { ms: performance.now() - t, value };
}

/** The last `count` contracts (untouched by the earlier operations): all items ready, one run date. */
async function prepareRun(
  db: Kysely<DB>,
  count: number,
): Promise<{ contractIds: string[]; items: number }> {
  const ids = (
    await sql<{ id: string }>`SELECT id FROM contracts ORDER BY id DESC LIMIT ${count}`.execute(db)
  ).rows.map((r) => r.id);
  const ready = await sql`
    UPDATE actuals SET billing_status = 'ReadyToInvoice'
    WHERE contract_id = ANY(${ids}::bigint[]) AND billing_status IN ('UnbilledSalesCreated', 'NotReadyToInvoice')
      AND nte_status <> 'Failed'
  `.execute(db);
  await sql`
    INSERT INTO invoice_schedule_dates (contract_id, contract_line_id, run_date, cutoff_date)
    SELECT contract_id, id, ${RUN_DATE}::date, ${RUN_DATE}::date FROM contract_lines
    WHERE contract_id = ANY(${ids}::bigint[]) AND billing_method = 'TimeAndMaterial'
  `.execute(db);
  const items = await sql<{ n: string }>`
    SELECT count(*) AS n FROM actuals WHERE contract_id = ANY(${ids}::bigint[]) AND billing_status = 'ReadyToInvoice'
  `.execute(db);
  void ready;
  return { contractIds: ids, items: Number(items.rows[0]?.n ?? 0) };
}

/** One contract, one customer, one T&M line with `items` ready actuals (one entry each). */
async function bigContract(db: Kysely<DB>, items: number): Promise<string> {
  const contract = await sql<{ id: string }>`
    INSERT INTO contracts (name, currency) VALUES ('Bench large invoice', 'USD') RETURNING id
  `.execute(db);
  const contractId = contract.rows[0]?.id as string;
  const customer = await sql<{
    id: string;
  }>`INSERT INTO customers (name) VALUES ('Bench large customer') RETURNING id`.execute(db);
  const customerId = customer.rows[0]?.id as string;
  await sql`
    WITH cc AS (
      INSERT INTO contract_customers (contract_id, customer_id, split_percent, is_rounding, position)
      VALUES (${contractId}, ${customerId}, 100, true, 0) RETURNING id
    ), line AS (
      INSERT INTO contract_lines (contract_id, name, billing_method, transaction_classes)
      VALUES (${contractId}, 'Bench large line', 'TimeAndMaterial', ARRAY['Time','Expense','Material','Fee']) RETURNING id
    )
    INSERT INTO line_customers (contract_id, contract_line_id, contract_customer_id, customer_id, split_percent, is_rounding, position)
    SELECT ${contractId}, line.id, cc.id, ${customerId}, 100, true, 0 FROM line, cc
  `.execute(db);
  await sql`
    WITH e AS (
      INSERT INTO entries (contract_id, contract_line_id, transaction_class, date, quantity, unit_price, status, approved_at)
      SELECT ${contractId}, l.id, 'Time', DATE '2026-06-01' + (k % 180), 1 + (k % 8), 125, 'Approved', now()
      FROM contract_lines l CROSS JOIN generate_series(1, ${items}::int) k WHERE l.contract_id = ${contractId}
      RETURNING contract_id, id, contract_line_id, date, quantity, unit_price
    )
    INSERT INTO actuals (contract_id, type, entry_id, contract_line_id, line_customer_id, customer_id, transaction_class,
                         date, quantity, unit_price, amount, billing_type, billing_status, nte_status)
    SELECT e.contract_id, 'UnbilledSales', e.id, e.contract_line_id, lc.id, lc.customer_id, 'Time', e.date, e.quantity,
           e.unit_price, round(e.quantity * e.unit_price * 100), 'Chargeable', 'ReadyToInvoice', 'NotApplicable'
    FROM e JOIN line_customers lc ON lc.contract_id = e.contract_id AND lc.contract_line_id = e.contract_line_id
  `.execute(db);
  await sql`ANALYZE actuals`.execute(db);
  return contractId;
}

const once = (ms: number) => summarize([ms]);

/** API and raw-SQL times of one operation, as a row of the table. */
function row(
  op: Omit<Measurement, 'api' | 'raw' | 'ratio' | 'unit'>,
  apiMs: number,
  rawMs: number,
): Measurement {
  return { ...op, unit: 'ms', api: once(apiMs), raw: once(rawMs), ratio: apiMs / rawMs };
}

async function auditWatermark(db: Kysely<DB>): Promise<string> {
  const r = await sql<{ n: string }>`SELECT coalesce(max(id), 0) AS n FROM audit_events`.execute(
    db,
  );
  return r.rows[0]?.n ?? '0';
}

/**
 * The API's contracts and their raw-SQL copies must hold the same rows; the invoice numbers
 * must stay gapless (R63). Answers the shape both left.
 */
async function sameShape(
  db: Kysely<DB>,
  what: string,
  apiContracts: readonly string[],
  rawContracts: readonly string[],
  auditAfter: string,
): Promise<Record<string, string>> {
  const api = await invoicingShape(db, apiContracts, auditAfter);
  const raw = await invoicingShape(db, rawContracts, auditAfter);
  if (JSON.stringify(api) !== JSON.stringify(raw)) {
    throw new Error(
      `${what}: the raw SQL left another shape than the API\nAPI: ${JSON.stringify(api, null, 1)}\nraw: ${JSON.stringify(raw, null, 1)}`,
    );
  }
  const numbers = await sql<{ n: string; max: string | null; next: string }>`
    SELECT count(*) AS n, max(number) AS max, (SELECT next FROM invoice_counters WHERE name = 'invoice') AS next
    FROM invoice_numbers
  `.execute(db);
  const g = numbers.rows[0];
  if (!g || (g.max ?? '0') !== g.n || String(Number(g.n) + 1) !== g.next) {
    throw new Error(`invoice numbers are not gapless: ${JSON.stringify(g)}`);
  }
  return api;
}

export interface InvoicingSizes {
  /** Contracts of about 100 ready items each in the invoice run. */
  contracts: number;
  /** Bulk confirm takes at most this many of the run's drafts. */
  confirmAtMost: number;
  /** The large invoices, in lines (each a draft, then confirmed). */
  largeInvoices: number[];
}

export async function measureInvoicing(
  ctx: BenchContext,
  sizes: InvoicingSizes,
): Promise<Measurement[]> {
  const out: Measurement[] = [];
  const full = sizes.contracts >= 1000;

  // Invoice run (R66) over `contracts` contracts of about 100 ready items each; the raw SQL
  // on a copy of them.
  const { contractIds, items } = await prepareRun(ctx.db, sizes.contracts);
  const rawContractIds = await cloneContracts(ctx.db, contractIds);
  const auditAfter = await auditWatermark(ctx.db);
  const run = await timed(() =>
    ctx.api.request<{ invoices: InvoiceAnswer[] }>('POST', '/invoice-runs', {
      runDate: RUN_DATE,
      contractIds,
    }),
  );
  const invoices = run.value.invoices;
  const details = invoices.reduce(
    (n, i) => n + i.lines.reduce((m, l) => m + l.details.length, 0),
    0,
  );
  if (details !== items)
    throw new Error(`the invoice run put ${details} of ${items} ready items on invoices`);
  const rawRun = await timed(() => rawCreateDrafts(ctx.db, rawContractIds, RUN_DATE, true));
  if (rawRun.value.details !== items || rawRun.value.invoices !== invoices.length)
    throw new Error(
      `the raw invoice run made ${JSON.stringify(rawRun.value)}, the API ${invoices.length} of ${items} items`,
    );
  ctx.log(
    `  invoice run ${contractIds.length} contracts, ${items} items: API ${(run.ms / 1000).toFixed(1)} s, raw ${(rawRun.ms / 1000).toFixed(1)} s`,
  );
  out.push({
    ...row(
      {
        operation: 'Invoice run (POST /invoice-runs)',
        detail: `${contractIds.length.toLocaleString('en-US')} contracts, ${items.toLocaleString('en-US')} ready items → ${invoices.length.toLocaleString('en-US')} drafts; one run`,
        target: '≤ 20 s (1,000 contracts × 100 items)',
      },
      run.ms,
      rawRun.ms,
    ),
    met: full ? run.ms <= 20_000 : undefined,
  });

  // Bulk confirm (R64) of the run's drafts, the first ones in id order.
  const toConfirm = invoices.slice(0, sizes.confirmAtMost).map((i) => i.id);
  const bulk = await timed(() =>
    ctx.api.request<{ results: { ok: boolean }[] }>('POST', '/invoices/confirm', {
      ids: toConfirm,
    }),
  );
  if (bulk.value.results.some((r) => !r.ok)) throw new Error('bulk confirm refused some invoices');
  const rawToConfirm = (
    await sql<{ id: string }>`
      SELECT id FROM invoices WHERE contract_id = ANY(${rawContractIds}::bigint[]) AND status = 'Draft'
      ORDER BY id LIMIT ${toConfirm.length}
    `.execute(ctx.db)
  ).rows.map((r) => r.id);
  const rawBulk = await timed(() => rawConfirmInvoices(ctx.db, rawToConfirm));
  if (rawBulk.value !== toConfirm.length)
    throw new Error(`the raw bulk confirm confirmed ${rawBulk.value} of ${toConfirm.length}`);
  ctx.log(
    `  bulk confirm ${toConfirm.length}: API ${(bulk.ms / 1000).toFixed(1)} s, raw ${(rawBulk.ms / 1000).toFixed(1)} s`,
  );
  const runShape = await sameShape(
    ctx.db,
    'invoice run and bulk confirm',
    contractIds,
    rawContractIds,
    auditAfter,
  );
  out.push({
    ...row(
      {
        operation: 'Bulk confirm (POST /invoices/confirm)',
        detail: `${toConfirm.length.toLocaleString('en-US')} drafts of about ${Math.round(items / Math.max(1, invoices.length))} lines; one run`,
        target: '≤ 60 s (1,000 invoices)',
      },
      bulk.ms,
      rawBulk.ms,
    ),
    met: toConfirm.length >= 1000 ? bulk.ms <= 60_000 : undefined,
    shape: runShape,
  });

  // One large invoice: a draft of N details (creation timed too), then confirm.
  for (const lines of sizes.largeInvoices) {
    out.push(...(await measureLargeInvoice(ctx, lines)));
  }
  // The largest again with a tax code on its line (R73: each detail takes it; R76: confirm
  // freezes it on every detail and the parties on the invoice).
  const largest = Math.max(...sizes.largeInvoices);
  out.push(...(await measureLargeInvoice(ctx, largest, { taxed: true })));
  return out;
}

/** R72, R73: a standard-rate code on the contracts' lines, and a seller profile. */
async function taxLines(db: Kysely<DB>, contractIds: readonly string[]): Promise<void> {
  const code = await sql<{ id: string }>`
    INSERT INTO tax_codes (code, name, category, rate)
    VALUES (${`BENCH-S19-${contractIds[0]}`}, 'Bench standard rate', 'S', 19) RETURNING id
  `.execute(db);
  await sql`
    UPDATE contract_lines SET tax_code_id = ${code.rows[0]?.id}
    WHERE contract_id = ANY(${contractIds}::bigint[])
  `.execute(db);
  await sql`
    INSERT INTO seller_profile (legal_name, address, vat_id, bank)
    VALUES ('Bench Seller GmbH',
            '{"line1":"Main St 1","city":"Berlin","postalCode":"10115","country":"DE"}',
            'DE123456789', '{"iban":"DE89370400440532013000"}')
    ON CONFLICT (id) DO NOTHING
  `.execute(db);
}

async function measureLargeInvoice(
  ctx: BenchContext,
  lines: number,
  { taxed = false }: { taxed?: boolean } = {},
): Promise<Measurement[]> {
  const contractId = await bigContract(ctx.db, lines);
  const [rawContractId] = await cloneContracts(ctx.db, [contractId]);
  if (taxed) await taxLines(ctx.db, [contractId, rawContractId as string]);
  const auditAfter = await auditWatermark(ctx.db);
  const withTax = taxed ? ' with tax' : '';
  const draftOp = {
    operation: `Create one draft${withTax} (POST /invoices)`,
    detail: `${lines.toLocaleString('en-US')} ready items of one customer; one run`,
    unit: 'ms' as const,
  };
  const confirmOp = {
    operation: `Confirm one invoice${withTax} (POST /invoices/{id}/confirm)`,
    detail: `${lines.toLocaleString('en-US')} lines; one run`,
    unit: 'ms' as const,
    target: '≤ 2 s (10,000 lines)',
  };
  const failed = (error: unknown) => ({
    api: summarize([]),
    // The problem's title and code are enough here; the cause is in the server log (stderr).
    error: String((error as Error).message ?? error)
      .replace(/: \{.*"code":"(\w+)".*$/, ' ($1)')
      .slice(0, 200),
  });
  let draft: { ms: number; value: { invoices: InvoiceAnswer[] } };
  try {
    draft = await timed(() =>
      ctx.api.request<{ invoices: InvoiceAnswer[] }>('POST', '/invoices', {
        contractId,
        invoiceDate: RUN_DATE,
      }),
    );
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    ctx.log(`  ${lines}-line draft failed: ${error.message.slice(0, 120)}`);
    return [
      { ...draftOp, ...failed(error), met: false },
      {
        ...confirmOp,
        ...failed('not measured: the draft could not be created'),
        met: lines >= 10_000 ? false : undefined,
      },
    ];
  }
  const large = draft.value.invoices[0];
  if (!large) throw new Error('no draft for the large contract');
  const rawDraft = await timed(() =>
    rawCreateDrafts(ctx.db, [rawContractId as string], RUN_DATE, false),
  );
  if (rawDraft.value.details !== lines)
    throw new Error(`the raw draft took ${rawDraft.value.details} of ${lines} items`);
  const rawInvoiceId = (
    await sql<{ id: string }>`SELECT id FROM invoices WHERE contract_id = ${rawContractId}`.execute(
      ctx.db,
    )
  ).rows[0]?.id as string;
  try {
    const confirm = await timed(() => ctx.api.request('POST', `/invoices/${large.id}/confirm`));
    const rawConfirm = await timed(() => rawConfirmInvoices(ctx.db, [rawInvoiceId]));
    ctx.log(
      `  ${lines}-line invoice: draft API ${(draft.ms / 1000).toFixed(1)} s raw ${(rawDraft.ms / 1000).toFixed(1)} s, ` +
        `confirm API ${(confirm.ms / 1000).toFixed(1)} s raw ${(rawConfirm.ms / 1000).toFixed(1)} s`,
    );
    const shape = await sameShape(
      ctx.db,
      `${lines}-line invoice`,
      [contractId],
      [rawContractId as string],
      auditAfter,
    );
    return [
      row(draftOp, draft.ms, rawDraft.ms),
      {
        ...row(confirmOp, confirm.ms, rawConfirm.ms),
        met: lines >= 10_000 ? confirm.ms <= 2000 : undefined,
        shape,
      },
    ];
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    ctx.log(`  ${lines}-line confirm failed: ${error.message.slice(0, 120)}`);
    return [
      row(draftOp, draft.ms, rawDraft.ms),
      { ...confirmOp, ...failed(error), met: lines >= 10_000 ? false : undefined },
    ];
  }
}
