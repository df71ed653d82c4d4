/**
 * Issue 18 (R95): the invoice-run page queues the run as a job and shows its live progress,
 * the invoices it created (links to them) and, once it has finished, the run's result table.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { E2E_TIMEOUT, e2eSession, ok, signedInPage } from './support.js';

const session = e2eSession();
const RUN_DATE = '2026-04-30';

/** A contract with one T&M line run on RUN_DATE and one ready item. */
async function seedContract(name: string): Promise<void> {
  const api = session.server.api;
  const customer = await ok(api('POST', '/customers', { name: `${name} customer` }), 201);
  const contract = await ok(
    api('POST', '/contracts', { name, currency: 'USD', customers: [{ customerId: customer.id }] }),
    201,
  );
  const line = await ok(
    api('POST', `/contracts/${contract.id}/lines`, {
      name: 'Consulting',
      billingMethod: 'TimeAndMaterial',
      invoiceSchedule: [{ runDate: RUN_DATE }],
    }),
    201,
  );
  const entry = await ok(
    api('POST', '/entries', {
      contractLineId: line.id,
      transactionClass: 'Time',
      date: '2026-04-06',
      quantity: '4',
      unitPrice: '150.00',
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
}

describe('web UI: invoice run as a job', E2E_TIMEOUT, () => {
  it('R95: Run in background queues a job, shows its progress and the drafts it created', async () => {
    for (const name of ['Job North', 'Job South', 'Job East']) await seedContract(name);
    const page = await signedInPage(session.browser, session.server);
    // The run moved from a card on the Invoices page to its own page (issue 17).
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Invoice runs' })
      .click();
    await page.locator('input[name=runDate]').fill(RUN_DATE);
    await page.getByRole('button', { name: 'Run in background' }).click();

    const job = page.locator('.invoice-run-job [role=status]');
    await job.filter({ hasText: '3 of 3 contracts' }).waitFor();
    await job.filter({ hasText: '3 draft invoices created' }).waitFor();
    assert.equal(await job.locator('.badge[data-status=Succeeded]').count(), 1);
    assert.equal(await job.locator('progress').getAttribute('value'), '3');
    assert.equal(await job.locator('.job-invoices a').count(), 3);

    // The job's invoices are in the API and, once it has finished, in the page's result.
    const drafts = await ok(session.server.api('GET', '/invoices?status=Draft'), 200);
    assert.equal(drafts.items.length, 3);
    for (const invoice of drafts.items)
      await page.locator(`table a[href="/invoices/${invoice.id}"]`).first().waitFor();

    // The run is listed under Recent runs, and shown again from there after a reload.
    const jobId = (await job.innerText()).match(/Job (\d+)/)![1]!;
    const recent = page.getByRole('region', { name: 'Recent runs' });
    const row = recent
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: jobId, exact: true }) });
    await row.filter({ hasText: '3 of 3' }).waitFor();
    assert.equal(await row.locator('.badge[data-status=Succeeded]').count(), 1);
    await page.reload();
    await page.getByRole('heading', { name: 'Invoice runs' }).waitFor();
    assert.equal(await page.locator('.invoice-run-job').count(), 0);
    await page.getByRole('button', { name: `Show job ${jobId}` }).click();
    await job.filter({ hasText: '3 draft invoices created' }).waitFor();
    assert.equal(await job.locator('.job-invoices a').count(), 3);
  });
});
