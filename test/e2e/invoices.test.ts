import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { E2E_TIMEOUT, e2eSession, ok, screenshot, signedInPage } from './support.js';

const session = e2eSession();

/** One customer, one T&M line, two approved 8 h × 200.00 entries. */
async function seed(name: string): Promise<{ actualIds: string[] }> {
  const customer = await ok(
    session.server.api('POST', '/customers', { name: `${name} customer` }),
    201,
  );
  const contract = await ok(
    session.server.api('POST', '/contracts', {
      name,
      currency: 'USD',
      customers: [{ customerId: customer.id }],
    }),
    201,
  );
  const line = await ok(
    session.server.api('POST', `/contracts/${contract.id}/lines`, {
      name: 'Consulting',
      billingMethod: 'TimeAndMaterial',
    }),
    201,
  );
  const actualIds: string[] = [];
  for (const date of ['2026-03-02', '2026-03-03']) {
    const entry = await ok(
      session.server.api('POST', '/entries', {
        contractLineId: line.id,
        transactionClass: 'Time',
        date,
        quantity: '8',
        unitPrice: '200.00',
      }),
      201,
    );
    const approved = await ok(session.server.api('POST', `/entries/${entry.id}/approve`, {}), 200);
    actualIds.push(...approved.actuals.map((a: any) => a.id));
  }
  return { actualIds };
}

describe('web UI: invoices', E2E_TIMEOUT, () => {
  it('R60, R62, R63, R65: creates a draft from grid selection, edits a quantity, confirms and corrects it', async () => {
    await seed('Audit support');
    const page = await signedInPage(session.browser, session.server);
    const grid = page.getByRole('tabpanel');
    await page.getByTestId('totals-count').filter({ hasText: '2' }).waitFor();
    await page.getByLabel('Select all loaded rows').check();
    const bar = page.getByRole('toolbar', { name: 'Bulk actions' });
    await bar.getByRole('button', { name: 'Mark ready' }).click();
    await page.getByRole('status').filter({ hasText: 'Mark ready: 2 updated' }).waitFor();
    await page.getByLabel('Select all loaded rows').check();
    await bar.getByRole('button', { name: 'Create invoice' }).click();
    const created = page.getByRole('status').filter({ hasText: 'Created 1 draft invoice' });
    await created.waitFor();
    assert.equal(await grid.locator('.badge[data-status=CustomerInvoiceCreated]').count(), 2);

    await created.getByRole('link').click();
    await page.getByRole('heading', { name: /Draft invoice/ }).waitFor();
    assert.match(await page.getByTestId('invoice-total').innerText(), /3,200\.00/);

    // R62: 8 h → 6 h on one detail.
    const firstDetail = page.locator('tr[data-detail-id]').first();
    await firstDetail.getByLabel(/Quantity of detail/).fill('6');
    await firstDetail.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('invoice-total').filter({ hasText: '2,800.00' }).waitFor();

    await page.getByRole('button', { name: 'Confirm invoice' }).click();
    await page
      .getByRole('dialog', { name: 'Confirm this invoice?' })
      .getByRole('button', { name: 'Yes, confirm and number it' })
      .click();
    await page.getByRole('heading', { name: /INV-\d+/ }).waitFor();
    await screenshot(page, 'invoice');

    // R65: credit 2 h of the other detail.
    const second = page.locator('tr[data-detail-id]').filter({ hasText: '8.00' }).first();
    await second.getByLabel(/Correct detail/).check();
    await second.getByLabel(/Corrected quantity/).fill('6');
    await page.getByRole('button', { name: 'Correct 1 detail' }).click();
    await page.getByRole('button', { name: 'Yes, create the corrective draft' }).click();
    await page.getByRole('heading', { name: /Draft invoice/ }).waitFor();
    assert.match(await page.getByTestId('invoice-total').innerText(), /-USD\s400\.00|-\$400\.00/);
  });

  it('R64: bulk confirm from the list; each draft is confirmed on its own', async () => {
    const { actualIds } = await seed('Bulk confirm');
    await ok(
      session.server.api('POST', '/backlog/time-and-material/mark-ready', { ids: actualIds }),
      200,
    );
    const contracts = await ok(session.server.api('GET', '/contracts'), 200);
    const contractId = contracts.items.find((c: any) => c.name === 'Bulk confirm').id;
    await ok(
      session.server.api('POST', '/invoices', { contractId, invoiceDate: '2026-03-31' }),
      201,
    );

    const page = await signedInPage(session.browser, session.server);
    await page.getByRole('link', { name: 'Invoices' }).click();
    await page.locator('select[name=status]').selectOption('Draft');
    const draftBoxes = page.getByRole('checkbox', { name: /Select invoice/ });
    await draftBoxes.first().waitFor();
    const drafts = await draftBoxes.count();
    for (let i = 0; i < drafts; i++) await draftBoxes.nth(i).check();
    await page.getByRole('button', { name: 'Confirm selected' }).click();
    await page.getByRole('button', { name: `Yes, confirm ${drafts} invoice` }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Confirmed ${drafts} of ${drafts}` })
      .waitFor();
    const left = await ok(session.server.api('GET', '/invoices?status=Draft'), 200);
    assert.equal(left.items.length, 0);
  });
});
