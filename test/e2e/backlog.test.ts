import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { E2E_TIMEOUT, e2eSession, ok, screenshot, signedInPage } from './support.js';

const session = e2eSession();

/** A 50/50 contract whose T&M line is capped at 2,000.00, and three approved 800.00 entries. */
async function seed(): Promise<{ contractId: string }> {
  const a = await ok(session.server.api('POST', '/customers', { name: 'Acme Corp' }), 201);
  const b = await ok(session.server.api('POST', '/customers', { name: 'Globex' }), 201);
  const contract = await ok(
    session.server.api('POST', '/contracts', {
      name: 'Data platform',
      currency: 'USD',
      customers: [
        { customerId: a.id, billingSplitPercent: '50' },
        { customerId: b.id, billingSplitPercent: '50' },
      ],
    }),
    201,
  );
  const line = await ok(
    session.server.api('POST', `/contracts/${contract.id}/lines`, {
      name: 'Engineering',
      billingMethod: 'TimeAndMaterial',
      notToExceed: '2000.00',
    }),
    201,
  );
  for (const date of ['2026-03-02', '2026-03-03', '2026-03-04']) {
    const entry = await ok(
      session.server.api('POST', '/entries', {
        contractLineId: line.id,
        transactionClass: 'Time',
        date,
        quantity: '8',
        unitPrice: '100.00',
      }),
      201,
    );
    await ok(session.server.api('POST', `/entries/${entry.id}/approve`, {}), 200);
  }
  return { contractId: contract.id };
}

describe('web UI: Time and Material Billing Backlog', E2E_TIMEOUT, () => {
  it('R31, R24: marks selected rows ready in the grid; totals and badges follow, the NTE-failed row shows its reason', async () => {
    await seed();
    const page = await signedInPage(session.browser, session.server);
    await page.getByRole('tab', { name: 'Time and Material Billing Backlog' }).click();
    const grid = page.getByRole('tabpanel');
    const rows = grid.locator('tbody tr[data-row-id]');
    await page.getByTestId('totals-count').filter({ hasText: '6' }).waitFor();
    assert.equal(await rows.count(), 6);
    assert.match(await page.getByTestId('totals-USD').innerText(), /2,400\.00/);
    assert.equal(await grid.locator('.badge[data-status=UnbilledSalesCreated]').count(), 6);
    // R21: the last split goes over the line's cap (2,000.00).
    assert.equal(await grid.locator('.badge[data-status=Failed]').count(), 1);

    await page.getByLabel('Select all loaded rows').check();
    const bar = page.getByRole('toolbar', { name: 'Bulk actions' });
    assert.match(await bar.innerText(), /6 selected/);
    await bar.getByRole('button', { name: 'Mark ready' }).click();
    await page.getByRole('status').filter({ hasText: 'Mark ready: 5 updated, 1 failed' }).waitFor();

    assert.equal(await grid.locator('.badge[data-status=ReadyToInvoice]').count(), 5);
    const failed = grid.locator('tr.has-error');
    assert.equal(await failed.count(), 1);
    // Five splits of 400.00 commit the whole 2,000.00 cap: nothing is left for the sixth.
    assert.match(
      await failed.innerText(),
      /Not-to-exceed reached at contract line: USD\s0\.00 left of USD\s2,000\.00/,
    );
    assert.equal(await failed.locator('.badge[data-status=UnbilledSalesCreated]').count(), 1);
    await screenshot(page, 'backlog');

    // Totals come from the API for the whole filter: only the ready rows now.
    await page.locator('select[name=billingStatus]').selectOption({ label: 'Ready to invoice' });
    await page.getByTestId('totals-count').filter({ hasText: '5' }).waitFor();
    assert.match(await page.getByTestId('totals-USD').innerText(), /2,000\.00/);
    assert.equal(await rows.count(), 5);

    // One row back to not ready: its badge changes and it leaves the Ready totals.
    await rows.first().getByRole('checkbox').check();
    await page
      .getByRole('toolbar', { name: 'Bulk actions' })
      .getByRole('button', { name: 'Mark not ready' })
      .click();
    await page.getByTestId('totals-count').filter({ hasText: '4' }).waitFor();
    assert.match(await page.getByTestId('totals-USD').innerText(), /1,600\.00/);
    assert.equal(await rows.first().locator('.badge[data-status=NotReadyToInvoice]').count(), 1);
  });

  it('sorts by date through the API: a second click on Date shows the newest first', async () => {
    const page = await signedInPage(session.browser, session.server);
    await page.getByRole('tab', { name: 'Time and Material Billing Backlog' }).click();
    const grid = page.getByRole('tabpanel');
    await grid.locator('tbody tr[data-row-id]').first().waitFor();
    await grid.getByRole('button', { name: /Date/ }).click();
    await grid.locator('th[aria-sort=descending]').waitFor();
    // The header turns at once; the rows follow when the API answers the new sort.
    const firstDate = grid.locator('tbody tr[data-row-id] td:nth-child(2)').first();
    await firstDate
      .filter({ hasText: 'Mar 4, 2026' })
      .waitFor({ timeout: 10_000 })
      .catch(() => undefined);
    assert.match(await firstDate.innerText(), /Mar 4, 2026/);
  });
});
