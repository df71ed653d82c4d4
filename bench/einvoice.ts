/**
 * `npm run bench:einvoice -- [--lines 10000] [--invoices 1000] [--quick]`: the e-invoice rows
 * of issue 16 on a fresh embedded database.
 *
 * 1. `GET /invoices/{id}/einvoice` of one confirmed invoice of `--lines` lines (target
 *    ≤ 2 s at 10,000), UBL and CII, median of three requests each.
 * 2. `export einvoices` (R83) of `--invoices` confirmed invoices as a real CLI process on the
 *    same data directory; the rate in invoices per second.
 * The data is written by SQL (setup, not timed), then drafted and confirmed through the API
 * as a user would. `--quick`: 2,000 lines and 100 invoices.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { DB } from '../src/db/schema.js';
import { buildApp } from '../src/http/app.js';
import { saveSellerProfile } from '../src/repositories/seller-profile.js';
import { loadInvoiceDocument } from '../src/views/invoice-document.js';
import { writeEinvoice } from '../src/einvoice/write.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const TOKEN = 'bench-einvoice-admin-token-0123456789abcdef';
const RUN_DATE = '2026-12-31';

const { values } = parseArgs({
  options: {
    lines: { type: 'string' },
    invoices: { type: 'string' },
    quick: { type: 'boolean', default: false },
  },
});
const LINES = Number(values.lines ?? (values.quick ? 2000 : 10_000));
const INVOICES = Number(values.invoices ?? (values.quick ? 100 : 1000));
const log = (m: string) =>
  console.error(`[bench einvoice ${new Date().toISOString().slice(11, 19)}] ${m}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** `contracts` contracts of one customer and one T&M line at 19 %, `items` ready actuals each. */
async function readyWork(
  db: Kysely<DB>,
  taxCodeId: string,
  contracts: number,
  items: number,
): Promise<string[]> {
  const ids = await sql<{ id: string }>`
    WITH c AS (
      INSERT INTO contracts (name, currency)
      SELECT 'Bench e-invoice ' || k, 'EUR' FROM generate_series(1, ${contracts}::int) k RETURNING id
    ), cu AS (
      INSERT INTO customers (name, legal_name, address)
      SELECT 'Bench buyer ' || c.id, 'Bench buyer ' || c.id,
             '{"line1":"Rue de la Loi 16","city":"Bruxelles","postalCode":"1000","country":"BE"}'
      FROM c RETURNING id, name
    )
    SELECT c.id FROM c ORDER BY c.id
  `.execute(db);
  const contractIds = ids.rows.map((r) => r.id);
  await sql`
    WITH cc AS (
      INSERT INTO contract_customers (contract_id, customer_id, split_percent, is_rounding, position)
      SELECT c.id, cu.id, 100, true, 0 FROM contracts c JOIN customers cu ON cu.name = 'Bench buyer ' || c.id
      WHERE c.id = ANY(${contractIds}::bigint[]) RETURNING contract_id, id, customer_id
    ), line AS (
      INSERT INTO contract_lines (contract_id, name, billing_method, transaction_classes, tax_code_id)
      SELECT id, 'Consulting', 'TimeAndMaterial', ARRAY['Time','Expense','Material','Fee'], ${taxCodeId}::bigint
      FROM contracts WHERE id = ANY(${contractIds}::bigint[]) RETURNING contract_id, id
    )
    INSERT INTO line_customers (contract_id, contract_line_id, contract_customer_id, customer_id, split_percent, is_rounding, position)
    SELECT line.contract_id, line.id, cc.id, cc.customer_id, 100, true, 0 FROM line JOIN cc USING (contract_id)
  `.execute(db);
  await sql`
    WITH e AS (
      INSERT INTO entries (contract_id, contract_line_id, transaction_class, date, quantity, unit_price, status, approved_at, description)
      SELECT l.contract_id, l.id, 'Time', DATE '2026-06-01' + (k % 180), 1 + (k % 8), 125, 'Approved', now(), 'Work item ' || k
      FROM contract_lines l CROSS JOIN generate_series(1, ${items}::int) k WHERE l.contract_id = ANY(${contractIds}::bigint[])
      RETURNING contract_id, id, contract_line_id, date, quantity, unit_price
    )
    INSERT INTO actuals (contract_id, type, entry_id, contract_line_id, line_customer_id, customer_id, transaction_class,
                         date, quantity, unit_price, amount, billing_type, billing_status, nte_status)
    SELECT e.contract_id, 'UnbilledSales', e.id, e.contract_line_id, lc.id, lc.customer_id, 'Time', e.date, e.quantity,
           e.unit_price, round(e.quantity * e.unit_price * 100), 'Chargeable', 'ReadyToInvoice', 'NotApplicable'
    FROM e JOIN line_customers lc ON lc.contract_id = e.contract_id AND lc.contract_line_id = e.contract_line_id
  `.execute(db);
  await sql`
    INSERT INTO invoice_schedule_dates (contract_id, contract_line_id, run_date, cutoff_date)
    SELECT contract_id, id, ${RUN_DATE}::date, ${RUN_DATE}::date FROM contract_lines WHERE contract_id = ANY(${contractIds}::bigint[])
  `.execute(db);
  await sql`ANALYZE actuals`.execute(db);
  return contractIds;
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bb-bench-einvoice-'));
const outDir = mkdtempSync(path.join(os.tmpdir(), 'bb-bench-einvoice-out-'));
try {
  const database = await openDatabase({ dataDir });
  await migrateToLatest(database.db as never);
  const app = await buildApp({ db: database.db, databaseKind: database.kind, adminToken: TOKEN });
  const base = `${await app.listen({ host: '127.0.0.1', port: 0 })}/api/v1`;
  const call = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text.slice(0, 300)}`);
    return res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
  };

  await saveSellerProfile(database.db, {
    legalName: 'Bench Consulting GmbH',
    address: { line1: 'Hauptstraße 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
    vatId: 'DE123456789',
    companyId: null,
    email: null,
    phone: null,
    electronicAddress: null,
    bank: { iban: 'DE89370400440532013000', bic: null, accountName: null },
    paymentInstructions: null,
    defaultPaymentTermsDays: 30,
    defaultTaxCodeId: null,
    invoiceFooter: null,
  });
  const code = await call('POST', '/tax-codes', {
    code: 'S19',
    name: 'Standard',
    category: 'S',
    rate: '19',
  });

  log(`one invoice of ${LINES.toLocaleString('en-US')} lines`);
  const [large] = await readyWork(database.db, code.id, 1, LINES);
  const { invoices } = await call('POST', '/invoices', {
    contractId: large,
    invoiceDate: RUN_DATE,
  });
  const confirmed = await call('POST', `/invoices/${invoices[0].id}/confirm`);
  const rows: string[] = [];
  for (const syntax of ['ubl', 'cii']) {
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      bytes = (await call('GET', `/invoices/${confirmed.id}/einvoice?syntax=${syntax}`)).length;
      times.push(performance.now() - t);
    }
    const ms = median(times);
    rows.push(
      `| E-invoice of one invoice (GET /invoices/{id}/einvoice?syntax=${syntax}) | ${LINES.toLocaleString('en-US')} lines, ${(bytes / 2 ** 20).toFixed(1)} MiB; median of 3 | ${ms.toFixed(0)} ms | ≤ 2 s (10,000 lines) | ${LINES >= 10_000 ? (ms <= 2000 ? 'met' : 'NOT met') : 'smaller than the target size'} |`,
    );
    log(`${syntax}: ${ms.toFixed(0)} ms`);
  }

  // Where the time of one request goes: reading the document, then the pure writers.
  const reads: number[] = [];
  const writes: number[] = [];
  for (let i = 0; i < 3; i++) {
    let t = performance.now();
    const doc = await loadInvoiceDocument(database.db, confirmed.id);
    reads.push(performance.now() - t);
    if (!doc) throw new Error('the large invoice has no document');
    t = performance.now();
    writeEinvoice(doc, 'ubl', 'en16931');
    writes.push(performance.now() - t);
  }
  rows.push(
    `| ↳ of which reading the document (loadInvoiceDocument) | ${LINES.toLocaleString('en-US')} lines; median of 3 | ${median(reads).toFixed(0)} ms | | |`,
    `| ↳ of which preflight, model and UBL (pure) | ${LINES.toLocaleString('en-US')} lines; median of 3 | ${median(writes).toFixed(0)} ms | | |`,
  );

  log(`${INVOICES.toLocaleString('en-US')} invoices of 5 lines for the CLI export`);
  await readyWork(database.db, code.id, INVOICES, 5);
  const run = await call('POST', '/invoice-runs', { runDate: RUN_DATE });
  const ids: string[] = run.invoices.map((i: { id: string }) => i.id);
  const bulk = await call('POST', '/invoices/confirm', { ids });
  if (bulk.results.some((r: { ok: boolean }) => !r.ok)) throw new Error('bulk confirm failed');
  await app.close();
  await database.close();

  // The CLI opens the data directory itself, so the server has closed it.
  const t = performance.now();
  const cli = spawnSync(
    process.execPath,
    [
      path.join(ROOT, 'bin/billing-backlog.js'),
      'export',
      'einvoices',
      '--date-from',
      RUN_DATE,
      '--date-to',
      RUN_DATE,
      '-o',
      outDir,
      '--data-dir',
      dataDir,
    ],
    { encoding: 'utf8' },
  );
  const seconds = (performance.now() - t) / 1000;
  if (cli.status !== 0)
    throw new Error(`export einvoices exited ${cli.status}: ${cli.stdout} ${cli.stderr}`);
  const written = readdirSync(outDir).length;
  if (written !== ids.length + 1)
    throw new Error(`wrote ${written} files, expected ${ids.length + 1}`);
  rows.push(
    `| CLI export einvoices (R83) | ${written.toLocaleString('en-US')} invoices (${INVOICES} of 5 lines, 1 of ${LINES.toLocaleString('en-US')}), one process, UBL | ${seconds.toFixed(1)} s, ${(written / seconds).toFixed(0)} invoices/s | (report the rate) | — |`,
  );
  console.log('| operation | detail | time | target | |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(r);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(outDir, { recursive: true, force: true });
}
