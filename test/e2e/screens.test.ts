/**
 * Issue 17 in the browser: every action for the people who do it. Approve → mark ready →
 * invoice → confirm through the dialog; raise a failed cap and re-evaluate (R90, R26);
 * generate milestones and invoice one (R43); import a CSV with one bad row; role-aware
 * actions (GET /me); the tokens page; a preview that explains an empty run (R66).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  ADMIN_TOKEN,
  E2E_TIMEOUT,
  e2eSession,
  ok,
  screenshot,
  signedInPage,
  type E2eSession,
} from './support.js';

const session = e2eSession();

async function contractWithLine(
  name: string,
  contract: Record<string, unknown> = {},
  line: Record<string, unknown> = {},
) {
  const customer = await ok(
    session.server.api('POST', '/customers', { name: `${name} customer` }),
    201,
  );
  const c = await ok(
    session.server.api('POST', '/contracts', {
      name,
      currency: 'USD',
      customers: [{ customerId: customer.id }],
      ...contract,
    }),
    201,
  );
  const l = await ok(
    session.server.api('POST', `/contracts/${c.id}/lines`, {
      name: `${name} line`,
      billingMethod: 'TimeAndMaterial',
      ...line,
    }),
    201,
  );
  return { customerId: customer.id as string, contractId: c.id as string, lineId: l.id as string };
}

async function submit(lineId: string, body: Record<string, unknown> = {}) {
  return ok(
    session.server.api('POST', '/entries', {
      contractLineId: lineId,
      transactionClass: 'Time',
      date: '2026-03-02',
      quantity: '8',
      unitPrice: '150.00',
      ...body,
    }),
    201,
  );
}

/** A page signed in with any token (the UI keeps it in localStorage). */
async function pageWith(s: E2eSession, token: string, path: string): Promise<Page> {
  const context = await s.browser.newContext({
    viewport: { width: 1024, height: 800 },
    locale: 'en-US',
  });
  const page = await context.newPage();
  await page.goto(`${s.server.url}${path}`);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Signed in as').waitFor();
  return page;
}

const go = async (page: Page, label: string) => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label }).click();
};

describe('web UI: screens for every action', E2E_TIMEOUT, () => {
  it('R16, R63: approve from the queue → mark ready → invoice → confirm through the dialog', async () => {
    const { lineId } = await contractWithLine('Queue flow');
    await submit(lineId, { description: 'Design workshop' });
    await submit(lineId, { description: 'Too much', date: '2026-03-03' });
    const page = await signedInPage(session.browser, session.server);
    await go(page, 'Approvals');
    await page.getByRole('heading', { name: 'Approvals' }).waitFor();
    await page.getByLabel(/Select entry of .*Design workshop/).check();
    await screenshot(page, 'approvals');
    await page
      .getByRole('toolbar', { name: 'Bulk actions' })
      .getByRole('button', { name: 'Approve selected' })
      .click();
    await page.getByRole('status').filter({ hasText: 'Approved 1 of 1' }).waitFor();
    // The approved entry is gone in the same render as the outcome, so no button of it is
    // left to click beside "Approved".
    assert.equal(await page.getByLabel(/Select entry of .*Design workshop/).count(), 0);
    // R16: reject the other with a reason.
    await page.getByRole('button', { name: /Reject entry of/ }).click();
    await page.getByLabel('Reason for rejecting').fill('Not agreed with the client');
    await page.getByRole('button', { name: 'Reject', exact: true }).click();
    await page.getByText('No entries are waiting for approval.').waitFor();

    await go(page, 'Backlog');
    await page.getByTestId('totals-count').filter({ hasText: '1' }).waitFor();
    await page.getByLabel('Select all loaded rows').check();
    const bar = page.getByRole('toolbar', { name: 'Bulk actions' });
    await bar.getByRole('button', { name: 'Mark ready' }).click();
    await page.getByRole('status').filter({ hasText: 'Mark ready: 1 updated' }).waitFor();
    await page.getByLabel('Select all loaded rows').check();
    await bar.getByRole('button', { name: 'Create invoice' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Created 1 draft invoice' })
      .getByRole('link')
      .click();
    await page.getByRole('heading', { name: /Draft invoice/ }).waitFor();

    // From the keyboard: the dialog takes the focus, Escape closes it and does nothing.
    await page.getByRole('button', { name: 'Confirm invoice' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Confirm this invoice?' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    const said = await dialog.innerText();
    assert.match(said, /1 invoice will be confirmed, totalling (USD\s1,200\.00|\$1,200\.00)/);
    assert.match(said, /next invoice number for good/);
    await screenshot(page, 'confirm-dialog');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /INV-\d+/ }).waitFor();
  });

  it('R90, R26: raise a failed contract cap and re-evaluate its failed actuals', async () => {
    const { contractId, lineId } = await contractWithLine('Capped', { notToExceed: '1500.00' });
    const entry = await submit(lineId, { quantity: '8', unitPrice: '150.00' });
    await ok(session.server.api('POST', `/entries/${entry.id}/approve`, {}), 200);
    const over = await submit(lineId, { quantity: '3', unitPrice: '150.00' });
    const approved = await ok(session.server.api('POST', `/entries/${over.id}/approve`, {}), 200);
    assert.equal(approved.actuals[0].nteStatus, 'Failed');

    const page = await signedInPage(session.browser, session.server);
    await page.goto(`${session.server.url}/contracts/${contractId}`);
    await page.getByRole('heading', { name: 'Capped', exact: true }).waitFor();
    const usage = page.getByLabel('Not-to-exceed usage at Contract', { exact: true });
    assert.match(
      await usage.innerText(),
      /Limit (USD\s)?\$?1,500\.00 · invoiced .* · committed (USD\s)?\$?1,200\.00 · headroom (USD\s)?\$?300\.00/,
    );
    await page.getByRole('textbox', { name: 'Contract limit' }).fill('2000');
    await page.getByRole('button', { name: 'Save Contract limit' }).click();
    const offer = page.getByRole('region', { name: 'Re-evaluate failed actuals' });
    await offer.waitFor();
    await screenshot(page, 'contract-limits');
    await offer
      .getByRole('button', { name: 'Re-evaluate failed actuals of this contract' })
      .click();
    await offer.getByText('1 now committed').waitFor();
    const rows = await ok(
      session.server.api('GET', `/backlog/time-and-material?contractId=${contractId}`),
      200,
    );
    assert.deepEqual(
      rows.items.map((r: any) => r.nteStatus),
      ['Committed', 'Committed'],
    );
    const audit = await ok(
      session.server.api('GET', `/audit-events?entityType=Contract&entityId=${contractId}`),
      200,
    );
    assert.deepEqual(
      audit.items.filter((e: any) => e.field).map((e: any) => [e.field, e.from, e.to]),
      [['notToExceed', '1500.00', '2000.00']],
    );
  });

  it('R43: generate milestones on a fixed-price line, mark one ready and invoice it', async () => {
    const { contractId } = await contractWithLine(
      'Fixed fee',
      {},
      {
        billingMethod: 'FixedPrice',
        contractedAmount: '3000.00',
      },
    );
    const page = await signedInPage(session.browser, session.server);
    await page.goto(`${session.server.url}/contracts/${contractId}`);
    const section = page.getByRole('region', { name: 'Milestones of Fixed fee line' });
    await section.getByLabel('First period').fill('2026-01-01');
    await section.getByLabel('Last period').fill('2026-03-31');
    await section.getByRole('button', { name: 'Generate milestones' }).click();
    const rows = section.locator('tr[data-milestone-id]');
    await rows.nth(2).waitFor();
    assert.equal(await rows.count(), 3);
    const first = rows.first();
    await first.getByRole('button', { name: /^Mark .* ready$/ }).click();
    await first.getByRole('button', { name: /^Invoice / }).waitFor();
    await screenshot(page, 'milestones');
    await section
      .locator('tr[data-milestone-id]')
      .first()
      .getByRole('button', { name: /^Invoice / })
      .click();
    await section.getByRole('link', { name: /draft #\d+/ }).click();
    await page.getByRole('heading', { name: /Draft invoice/ }).waitFor();
    assert.match(await page.getByTestId('invoice-total').innerText(), /1,000\.00/);
  });

  it('imports a CSV in the UI: the good rows are imported, the bad one is listed and downloadable', async () => {
    const { lineId } = await contractWithLine('Imported');
    const csv = [
      'contractLineId,transactionClass,date,quantity,unitPrice,description',
      `${lineId},Time,2026-03-02,8,100.00,Kick-off`,
      `${lineId},Time,2026-03-03,,100.00,No hours`,
      `${lineId},Expense,2026-03-04,1,45.50,Train`,
    ].join('\n');
    const page = await signedInPage(session.browser, session.server);
    await go(page, 'Import');
    await page.getByLabel('CSV file').setInputFiles({
      name: 'entries.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await page.getByRole('button', { name: 'Upload and import' }).click();
    const result = page.getByRole('region', { name: 'Import result' });
    await result.getByText('Imported 2 of 3 rows').waitFor();
    const bad = result.getByRole('table', { name: 'Bad rows' });
    assert.match(await bad.innerText(), /3\s+Quantity is missing or not valid/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      result.getByRole('link', { name: 'Download the error list (CSV)' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'import-errors.csv');
    await screenshot(page, 'import');
    const queue = await ok(
      session.server.api('GET', `/entries?status=Submitted&contractLineId=${lineId}`),
      200,
    );
    assert.equal(queue.items.length, 2);
  });

  it('a biller token sees no usable confirm (tooltip names the admin role); a viewer sees no action', async () => {
    const { contractId, lineId } = await contractWithLine('Roles');
    const entry = await submit(lineId);
    const approved = await ok(session.server.api('POST', `/entries/${entry.id}/approve`, {}), 200);
    const ids = approved.actuals.map((a: any) => a.id);
    await ok(session.server.api('POST', '/backlog/time-and-material/mark-ready', { ids }), 200);
    const drafts = await ok(session.server.api('POST', '/invoices', { contractId }), 201);
    const invoiceId = drafts.invoices[0].id;
    const biller = await ok(
      session.server.api('POST', '/tokens', { name: 'Bea', role: 'biller' }),
      201,
    );
    const viewer = await ok(
      session.server.api('POST', '/tokens', { name: 'Vic', role: 'viewer' }),
      201,
    );

    const asBiller = await pageWith(session, biller.token, `/invoices/${invoiceId}`);
    const confirm = asBiller.getByRole('button', { name: 'Confirm invoice' });
    await confirm.waitFor();
    assert.equal(await confirm.isDisabled(), true);
    assert.equal(await confirm.getAttribute('title'), 'Needs the admin role (you are biller)');
    assert.equal(await asBiller.getByRole('button', { name: 'Delete draft' }).isDisabled(), false);
    assert.equal(await asBiller.getByRole('link', { name: 'Tokens' }).count(), 0);

    const asViewer = await pageWith(session, viewer.token, `/invoices/${invoiceId}`);
    await asViewer.getByRole('heading', { name: /Draft invoice/ }).waitFor();
    for (const name of ['Confirm invoice', 'Delete draft']) {
      assert.equal(await asViewer.getByRole('button', { name }).count(), 0, name);
    }
    await go(asViewer, 'Approvals');
    await asViewer.getByRole('heading', { name: 'Approvals' }).waitFor();
    assert.equal(await asViewer.getByRole('button', { name: /Approve|Reject/ }).count(), 0);
  });

  it('tokens page: create (the secret shown once), list, revoke through the dialog', async () => {
    const page = await signedInPage(session.browser, session.server);
    await go(page, 'Tokens');
    await page.getByLabel('Token name').fill('Night import');
    await page.getByLabel('Role').selectOption('approver');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = await page.getByTestId('token-secret').innerText();
    assert.ok(secret.length >= 32, secret);
    const me = await fetch(`${session.server.url}/api/v1/me`, {
      headers: { authorization: `Bearer ${secret.trim()}` },
    });
    assert.deepEqual(
      { ...((await me.json()) as object), tokenId: undefined },
      { tokenId: undefined, name: 'Night import', role: 'approver' },
    );
    await screenshot(page, 'tokens');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    assert.equal(await page.getByTestId('token-secret').count(), 0);
    await page.getByRole('button', { name: 'Revoke Night import' }).click();
    await page.getByRole('button', { name: 'Yes, revoke it' }).click();
    await page.getByRole('cell', { name: /^Revoked/ }).waitFor();
    const refused = await fetch(`${session.server.url}/api/v1/me`, {
      headers: { authorization: `Bearer ${secret.trim()}` },
    });
    assert.equal(refused.status, 401);
    assert.ok(ADMIN_TOKEN);
  });

  it('R69 at 1,024 px: hide a column, and add a ready item to an existing draft', async () => {
    const { contractId, lineId } = await contractWithLine('Narrow screen');
    const ids: string[] = [];
    for (const date of ['2026-03-02', '2026-03-03']) {
      const entry = await submit(lineId, { date });
      const approved = await ok(
        session.server.api('POST', `/entries/${entry.id}/approve`, {}),
        200,
      );
      ids.push(approved.actuals[0].id);
    }
    await ok(session.server.api('POST', '/backlog/time-and-material/mark-ready', { ids }), 200);
    // The first item goes on a draft; the second waits, ready.
    const drafts = await ok(
      session.server.api('POST', '/invoices', { contractId, itemIds: [ids[0]] }),
      201,
    );
    const draft = drafts.invoices[0];
    const page = await pageWith(session, ADMIN_TOKEN, '/backlog/time-and-material');
    await page.getByTestId('totals-count').waitFor();
    const scroll = page.getByTestId('grid-scroll');
    const width = await scroll.evaluate((el) => el.clientWidth);
    assert.ok(width <= 1024, `the grid fits the window (${width}px)`);
    await page.getByText('Columns', { exact: true }).click();
    await page.getByRole('checkbox', { name: 'Billing type' }).uncheck();
    assert.equal(await scroll.getByRole('columnheader', { name: 'Billing type' }).count(), 0);

    // The contract filter is a server-searched combobox (issue 18): pick it by typing.
    await page.locator('input[name=contractId]').fill('Narrow scr');
    await page.getByRole('option', { name: 'Narrow screen', exact: true }).click();
    await page.locator('select[name=billingStatus]').selectOption('ReadyToInvoice');
    await page.getByTestId('totals-count').filter({ hasText: '1' }).waitFor();
    await page.getByLabel('Select all loaded rows').check();
    const bar = page.getByRole('toolbar', { name: 'Bulk actions' });
    await bar.getByRole('button', { name: 'Add to a draft…' }).click();
    await bar.getByLabel('Draft invoice').selectOption(draft.id);
    await bar.getByRole('button', { name: 'Add to draft', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Added 1 of 1' }).waitFor();
    const after = await ok(session.server.api('GET', `/invoices/${draft.id}`), 200);
    assert.equal(after.total, '2400.00');
  });

  it('R66: a preview that creates nothing says why', async () => {
    await contractWithLine('Unscheduled', {}, { invoiceSchedule: [{ runDate: '2026-06-01' }] });
    const page = await signedInPage(session.browser, session.server);
    await go(page, 'Invoice runs');
    await page.getByLabel('Run date').fill('2026-06-01');
    await page.getByRole('button', { name: 'Preview' }).click();
    const result = page.getByRole('region', { name: 'Run result' });
    await result.getByText(/0 invoices would be created/).waitFor();
    const why = await result.getByLabel('Why nothing').innerText();
    assert.match(why, /Line “Unscheduled line” \(Unscheduled\) is scheduled on .*no item ready/);
    await page.getByLabel('Run date').fill('2026-06-02');
    await page.getByRole('button', { name: 'Preview' }).click();
    await result.getByText(/No time-and-material line has a run date on/).waitFor();
    await screenshot(page, 'invoice-run');
    await go(page, 'Audit');
    await page.getByRole('heading', { name: 'Audit trail' }).waitFor();
    await page
      .getByRole('cell', { name: /Create contract/ })
      .first()
      .waitFor();
    await screenshot(page, 'audit');
  });
});
