/**
 * The UI on the benchmark's generated data (issue 18): the ageing page's totals agree with
 * the T&M view's, and a contract is found among many by typing part of its name. The scale
 * is a parameter: `E2E_SCALE` actuals (default 2,000, i.e. 20 contracts, so `npm test` stays
 * quick); `E2E_SCALE=1000000` is the benchmark's 1M rows and 10,000 contracts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { generate, shapeFor } from '../../bench/generate.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { E2E_TIMEOUT, e2eSession, ok, signedInPage } from './support.js';

const SCALE = Number(process.env.E2E_SCALE ?? 2_000);
/** After the last generated date (2025-01-01 + 729 days): nothing is left out as future. */
const AS_OF = '2026-12-31';

/** Open non-chargeable amounts per currency: in the T&M view, never in the ageing report. */
let nonChargeable = new Map<string, bigint>();
const session = e2eSession(undefined, {
  async prepareDataDir(dataDir) {
    const database = await openDatabase({ dataDir });
    try {
      await migrateToLatest(database.db as never);
      await generate(database.db, SCALE);
      // Summed here by the test's own query, not by the report's code.
      const rows = await sql<{ currency: string; amount: string }>`
        SELECT c.currency, sum(a.amount)::text AS amount
        FROM actuals a JOIN contracts c ON c.id = a.contract_id
        WHERE a.type = 'UnbilledSales' AND a.reverses_id IS NULL AND NOT a.adjusted
          AND a.billing_status IS NOT NULL AND a.billing_status <> 'CustomerInvoicePosted'
          AND a.billing_type <> 'Chargeable'
        GROUP BY c.currency`.execute(database.db);
      nonChargeable = new Map(rows.rows.map((r) => [r.currency, BigInt(r.amount)]));
    } finally {
      await database.close();
    }
  },
});

/** Minor units of a decimal string (the same currency always has the same digits). */
const units = (x: string) => BigInt(x.replace('.', ''));

/** The exact amounts a set of Money elements shows, by currency. */
async function amountsBy(page: Page, selector: (currency: string) => string, currencies: string[]) {
  const out = new Map<string, bigint>();
  for (const currency of currencies) {
    const text = await page
      .locator(`${selector(currency)} [data-amount]`)
      .first()
      .getAttribute('data-amount');
    assert.ok(text, `an amount for ${currency}`);
    out.set(currency, units(text));
  }
  return out;
}

describe(`web UI at scale: ${SCALE} generated actuals`, E2E_TIMEOUT, () => {
  it('the ageing page totals the T&M view’s chargeable open backlog, per currency', async () => {
    const page = await signedInPage(session.browser, session.server);
    const api = await ok(session.server.api('GET', '/backlog/time-and-material?limit=1'), 200);
    const currencies: string[] = api.totals.byCurrency.map((c: any) => c.currency);
    assert.ok(currencies.length >= 2, `several currencies: ${currencies.join(', ')}`);
    await page
      .getByTestId('totals-count')
      .filter({ hasText: String(api.totals.count) })
      .waitFor();
    const tm = await amountsBy(page, (c) => `[data-testid=totals-${c}]`, currencies);

    await page.getByRole('link', { name: 'Ageing' }).click();
    await page.locator('input[name=asOf]').fill(AS_OF);
    const last = currencies.at(-1) as string;
    await page.locator(`#ageing-${last}`).waitFor();
    const ageing = await amountsBy(page, (c) => `#ageing-${c}`, currencies);
    for (const currency of currencies) {
      assert.equal(
        (ageing.get(currency) ?? 0n) + (nonChargeable.get(currency) ?? 0n),
        tm.get(currency),
        `${currency}: ageing total + non-chargeable = the T&M view's total`,
      );
    }
    // Every customer with open work has its row; the rows add up to the footer (exactly).
    const table = page.getByRole('table', { name: `Unbilled ${last} by customer and age` });
    const totals = await table
      .locator('tbody tr td:last-child [data-amount]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-amount') ?? '0'));
    assert.ok(totals.length > 0);
    assert.equal(
      totals.reduce((sum, t) => sum + units(t), 0n),
      ageing.get(last),
    );
  });

  it('finds a contract among many by typing part of its name, and filters the T&M view by it', async () => {
    const { contracts } = shapeFor(SCALE);
    const wanted = Math.max(1, Math.floor(contracts * 0.7));
    const name = `Bench contract ${wanted}`;
    const page = await signedInPage(session.browser, session.server);
    const searches: string[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname === '/api/v1/contracts') searches.push(url.searchParams.get('q') ?? '');
    });
    const box = page.locator('input[name=contractId]').first();
    await box.fill(`ntract ${wanted}`);
    await page.getByRole('option', { name, exact: true }).click();
    assert.ok(
      searches.some((q) => q === `ntract ${wanted}`),
      `the server was asked: ${searches.join(' | ')}`,
    );
    const expected = await ok(
      session.server.api('GET', `/backlog/time-and-material?contractId=${wanted}&limit=1`),
      200,
    );
    await page
      .getByTestId('totals-count')
      .filter({ hasText: new RegExp(`^${expected.totals.count}$`) })
      .waitFor();
    const names = await page
      .locator('[data-testid=grid-scroll] tbody tr[data-row-id]')
      .evaluateAll((trs) => trs.map((tr) => tr.textContent ?? ''));
    assert.ok(names.length > 0);
    for (const row of names) assert.ok(row.includes(name), row);
  });
});
