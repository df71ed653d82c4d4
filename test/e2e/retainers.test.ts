import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { E2E_TIMEOUT, e2eSession, ok, screenshot, signedInPage } from './support.js';

const session = e2eSession();

/**
 * A confirmed 1,000.00 advance (R51: available) and a new draft for 8 h × 200.00 = 1,600.00
 * that draws all of it (R52): total 600.00.
 */
async function seed(): Promise<{ invoiceId: string; advanceId: string }> {
  const api = session.server.api;
  const customer = await ok(api('POST', '/customers', { name: 'Harbour Logistics' }), 201);
  const contract = await ok(
    api('POST', '/contracts', {
      name: 'Harbour advisory',
      currency: 'USD',
      customers: [{ customerId: customer.id }],
    }),
    201,
  );
  const line = await ok(
    api('POST', `/contracts/${contract.id}/lines`, {
      name: 'Advisory',
      billingMethod: 'TimeAndMaterial',
    }),
    201,
  );
  const advance = await ok(
    api('POST', `/contracts/${contract.id}/retainers`, {
      customerId: customer.id,
      kind: 'Advance',
      amount: '1000.00',
      date: '2026-03-01',
    }),
    201,
  );
  await ok(api('POST', '/backlog/retainers-and-advances/mark-ready', { ids: [advance.id] }), 200);
  const billed = await ok(
    api('POST', '/invoices', { contractId: contract.id, invoiceDate: '2026-03-01' }),
    201,
  );
  await ok(api('POST', `/invoices/${billed.invoices[0].id}/confirm`, {}), 200);

  const entry = await ok(
    api('POST', '/entries', {
      contractLineId: line.id,
      transactionClass: 'Time',
      date: '2026-03-02',
      quantity: '8',
      unitPrice: '200.00',
    }),
    201,
  );
  const approved = await ok(api('POST', `/entries/${entry.id}/approve`, {}), 200);
  await ok(
    api('POST', '/backlog/time-and-material/mark-ready', {
      ids: approved.actuals.map((a: any) => a.id),
    }),
    200,
  );
  const draft = await ok(
    api('POST', '/invoices', { contractId: contract.id, invoiceDate: '2026-03-31' }),
    201,
  );
  const invoice = draft.invoices[0];
  assert.deepEqual(invoice.appliedRetainers, [{ retainerId: advance.id, amount: '1000.00' }]);
  assert.equal(invoice.total, '600.00');
  return { invoiceId: invoice.id, advanceId: advance.id };
}

describe('web UI: retainers applied to a draft', E2E_TIMEOUT, () => {
  it('R52, R53: lowers an applied advance from the keyboard; raising it above what is available or below 0 shows the API error', async () => {
    const { invoiceId, advanceId } = await seed();
    const page = await signedInPage(session.browser, session.server);

    // The Available view shows the whole advance reserved by the draft.
    await page.getByRole('tab', { name: 'Available Retainers and Advances' }).click();
    const availableRow = page.locator(`tr[data-row-id="${advanceId}"]`);
    await availableRow.waitFor();
    assert.match(await availableRow.innerText(), /Advance[\s\S]*1,000\.00[\s\S]*1,000\.00/);
    const reserved = availableRow.locator('td').last();
    assert.match(await reserved.innerText(), /USD\s1,000\.00/);

    await page.goto(`${session.server.url}/invoices/${invoiceId}`);
    await page.getByRole('heading', { name: /Draft invoice/ }).waitFor();
    const total = page.getByTestId('invoice-total');
    assert.match(await total.innerText(), /USD\s600\.00/);
    const row = page.locator(`tr[data-retainer-id="${advanceId}"]`);
    const amount = row.getByLabel(/Amount applied from Advance/);
    assert.equal(await amount.inputValue(), '1000.00');
    assert.match(await row.getByTestId('retainer-free').innerText(), /USD\s1,000\.00/);

    // Lower it with the keyboard only: focus, select all, type, Enter.
    await amount.focus();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('250.10');
    await page.keyboard.press('Enter');
    await total.filter({ hasText: '1,349.90' }).waitFor();
    assert.match(
      await page.getByTestId('invoice-totals').innerText(),
      /Subtotal\s+USD\s1,600\.00\s+Retainers applied\s+USD\s250\.10/,
    );
    assert.equal(await amount.inputValue(), '250.10');
    await screenshot(page, 'invoice-retainers');

    // Above what the advance has: RETAINER_OVER_AVAILABLE, shown at the amount; nothing changes.
    await amount.fill('1000.01');
    await amount.press('Enter');
    const error = row.locator('.field-error[data-field=amount]');
    await error.waitFor();
    assert.equal(await error.innerText(), 'Amount must be at most 1000.00');
    assert.equal(await amount.getAttribute('aria-invalid'), 'true');
    assert.match(await total.innerText(), /USD\s1,349\.90/);

    // A negative amount: the API's validation message, again at the amount.
    await amount.fill('-5');
    await amount.press('Enter');
    await error.filter({ hasText: 'must not be negative' }).waitFor();
    assert.match(await total.innerText(), /USD\s1,349\.90/);

    // Escape undoes the edit.
    await amount.press('Escape');
    assert.equal(await amount.inputValue(), '250.10');
    assert.equal(await error.count(), 0);

    // The Available view now reserves only what the draft applies (R53).
    await page.goto(`${session.server.url}/backlog/available-retainers-and-advances`);
    await availableRow.waitFor();
    assert.match(await reserved.innerText(), /USD\s250\.10/);
    const state = await ok(
      session.server.api('GET', `/backlog/available-retainers-and-advances`),
      200,
    );
    const advance = state.items.find((r: any) => r.id === advanceId);
    assert.equal(advance.reservedAmount, '250.10');
    assert.equal(advance.availableAmount, '1000.00');
  });
});
