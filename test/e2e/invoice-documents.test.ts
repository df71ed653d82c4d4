/**
 * Issue 15 in the browser: Settings (seller profile R70, tax codes R72), a draft's pro forma
 * (R78), confirming it and downloading its PDF; and a rendered page of that PDF, drawn by
 * pdf.js in Chromium from the PDF's own bytes (docs/screenshots/invoice-pdf.png).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createTaxCode } from '../../src/commands/createTaxCode.js';
import { saveSellerProfile } from '../../src/repositories/seller-profile.js';
import { pdfPages } from '../support/invoice-document.js';
import { ADMIN_TOKEN, E2E_TIMEOUT, e2eSession, ok, signedInPage } from './support.js';

const root = path.resolve(import.meta.dirname, '../..');
const FOOTER =
  'Harbour & Fjord Consulting GmbH · Amtsgericht Hamburg HRB 123456 · Managing director: Astrid Holm';

// The seller profile a running installation would have; written before the server starts.
const session = e2eSession(undefined, {
  async prepareDataDir(dataDir) {
    const database = await openDatabase({ dataDir });
    try {
      await migrateToLatest(database.db as never);
      // R73: the seller's default tax code applies where nothing more specific is set.
      const standard = await createTaxCode(
        { db: database.db, actor: 'e2e' },
        { code: 'VAT19', name: 'Standard rate', category: 'S', rate: '19' },
      );
      await saveSellerProfile(database.db, {
        legalName: 'Harbour & Fjord Consulting GmbH',
        address: {
          line1: 'Große Elbstraße 145',
          city: 'Hamburg',
          postalCode: '22767',
          country: 'DE',
        },
        vatId: 'DE811907980',
        companyId: 'HRB 123456',
        email: 'billing@harbour-fjord.example',
        phone: '+49 40 555 0199',
        electronicAddress: null,
        bank: { iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', accountName: null },
        paymentInstructions:
          'Please transfer the amount due by the due date, quoting the reference.',
        defaultPaymentTermsDays: 30,
        defaultTaxCodeId: standard.id,
        invoiceFooter: 'Harbour & Fjord Consulting GmbH · Amtsgericht Hamburg HRB 123456',
      });
    } finally {
      await database.close();
    }
  },
});

/** A EUR contract (the seller's default tax code), two described entries ready to invoice. */
async function seedDraft(name: string): Promise<{ draftId: string; customerId: string }> {
  const api = session.server.api;
  const customer = await ok(api('POST', '/customers', { name: `${name} SARL` }), 201);
  const contract = await ok(
    api('POST', '/contracts', {
      name,
      currency: 'EUR',
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
  const ids: string[] = [];
  for (const [date, description] of [
    ['2026-03-02', 'Discovery workshop with the finance team'],
    ['2026-03-03', 'Target architecture for the billing ledger'],
  ]) {
    const entry = await ok(
      api('POST', '/entries', {
        contractLineId: line.id,
        transactionClass: 'Time',
        date,
        quantity: '6',
        unitPrice: '180.00',
        resource: 'Ingrid Sørensen',
        role: 'Principal',
        description,
      }),
      201,
    );
    const approved = await ok(api('POST', `/entries/${entry.id}/approve`, {}), 200);
    ids.push(...approved.actuals.map((a: any) => a.id));
  }
  await ok(api('POST', '/backlog/time-and-material/mark-ready', { ids }), 200);
  const drafts = await ok(
    api('POST', '/invoices', { contractId: contract.id, invoiceDate: '2026-03-31' }),
    201,
  );
  return { draftId: drafts.invoices[0].id, customerId: customer.id };
}

const SELLER_NAME = 'Harbour & Fjord Consulting GmbH';

/** Polls `check` from the test (the UI's CSP forbids the eval a page predicate needs). */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function addTaxCodeInSettings(page: Page, code: string): Promise<void> {
  await page.getByRole('link', { name: 'Settings' }).click();
  const form = page.getByRole('form', { name: 'New tax code' });
  await form.getByLabel('Code').fill(code);
  await form.getByLabel('Name').fill('Reduced rate 7 %');
  await form.getByLabel('VAT category').selectOption('S');
  await form.getByLabel('Rate (%)').fill('7');
  await form.getByRole('button', { name: 'Add tax code' }).click();
  await page.locator(`tr[data-tax-code="${code}"]`).waitFor();
}

describe('web UI: invoice documents', E2E_TIMEOUT, () => {
  it('R70: edits the seller profile in Settings; a bad IBAN is named next to its field', async () => {
    const page = await signedInPage(session.browser, session.server);
    await page.getByRole('link', { name: 'Settings' }).click();
    const form = page.getByRole('form', { name: 'Seller profile' });
    // The profile the installation has is loaded into the form.
    await until(
      async () => (await form.getByLabel('Legal name').inputValue()) === SELLER_NAME,
      'the saved profile is loaded into the form',
    );
    await form.getByLabel('IBAN').fill('DE00370400440532013000');
    await form.getByLabel('Invoice footer').fill(FOOTER);
    await form.getByRole('button', { name: 'Save seller profile' }).click();
    await form.locator('.field-error[data-field="bank.iban"]').waitFor();
    let saved = await ok(session.server.api('GET', '/settings/seller'), 200);
    assert.notEqual(saved.invoiceFooter, FOOTER, 'a refused profile changes nothing');

    await form.getByLabel('IBAN').fill('DE89 3704 0044 0532 0130 00');
    await form.getByRole('button', { name: 'Save seller profile' }).click();
    await form.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    saved = await ok(session.server.api('GET', '/settings/seller'), 200);
    assert.equal(saved.invoiceFooter, FOOTER);
    assert.equal(saved.bank.iban, 'DE89370400440532013000');
    assert.equal(saved.legalName, 'Harbour & Fjord Consulting GmbH');
  });

  it('R72: adds a tax code in Settings; a bad rate is named next to its field', async () => {
    const page = await signedInPage(session.browser, session.server);
    await page.getByRole('link', { name: 'Settings' }).click();
    const form = page.getByRole('form', { name: 'New tax code' });
    await form.getByLabel('Code').fill('S0');
    await form.getByLabel('Name').fill('Standard without rate');
    await form.getByLabel('Rate (%)').fill('0');
    await form.getByRole('button', { name: 'Add tax code' }).click();
    // R72: category S needs a rate above 0; the API names the field, the form shows it there.
    await form.locator('.field-error[data-field="rate"]').waitFor();
    await addTaxCodeInSettings(page, 'VAT7');
    const row = page.locator('tr[data-tax-code="VAT7"]');
    assert.match(await row.innerText(), /7\.00 %/);
    assert.match(await row.innerText(), /Not used yet/);
    const codes = await ok(session.server.api('GET', '/tax-codes'), 200);
    assert.ok(codes.items.some((t: any) => t.code === 'VAT7' && t.rate === '7.00'));

    // Edit: a code on no invoice yet may change anything; here its name.
    await page.getByRole('button', { name: 'Edit tax code VAT7' }).click();
    const edit = page.getByRole('form', { name: 'Edit tax code VAT7' });
    await edit.getByLabel('Name').fill('Reduced rate (books, culture)');
    await edit.getByRole('button', { name: 'Save tax code' }).click();
    await page
      .locator('tr[data-tax-code="VAT7"]', { hasText: 'Reduced rate (books, culture)' })
      .waitFor();
  });

  it('R71, R73, R77, R91, R78: a customer’s billing profile, a draft’s tax and reason, its pro forma, confirm and the PDF', async () => {
    const { draftId, customerId } = await seedDraft('Lumière Digital');
    const page = await signedInPage(session.browser, session.server);

    // R71: the buyer's billing profile, edited on the customer's page.
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('link', { name: 'Lumière Digital SARL' }).click();
    const profile = page.getByRole('form', { name: 'Billing profile' });
    await profile.getByLabel('Legal name').fill('Lumière Digital SARL');
    await profile.getByLabel('Street and number').fill('12 quai de la Pêcherie');
    await profile.getByLabel('Postal code').fill('69001');
    await profile.getByLabel('City').fill('Lyon');
    await profile.getByLabel('Country (ISO code)').fill('XX');
    await profile.getByRole('button', { name: 'Save billing profile' }).click();
    await profile.locator('.field-error[data-field="address.country"]').waitFor();
    await profile.getByLabel('Country (ISO code)').fill('fr');
    await profile.getByLabel('VAT ID').fill('FR40303265045');
    await profile.getByRole('button', { name: 'Save billing profile' }).click();
    await profile.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const customer = await ok(session.server.api('GET', `/customers/${customerId}`), 200);
    assert.equal(customer.address.country, 'FR');
    assert.equal(customer.vatId, 'FR40303265045');

    await page.goto(`${session.server.url}/invoices/${draftId}`);
    await page.getByRole('heading', { name: /Draft invoice/ }).waitFor();
    // R77: descriptions on the invoice page; R74: the tax breakdown; R75: the due date.
    await page.getByText('Discovery workshop with the finance team').waitFor();
    assert.match(await page.getByTestId('invoice-due-date').innerText(), /2026/);
    assert.match(await page.getByTestId('invoice-total-due').innerText(), /2,570\.40/);

    // R73, R91: the second detail moves to the 7 % code, with the reason recorded.
    const second = page.locator('tr', { hasText: 'Target architecture for the billing ledger' });
    await second.getByLabel(/Tax code of detail/).selectOption({ label: 'VAT7 (7.00 %)' });
    await second.getByLabel(/Reason for the change/).fill('Reduced rate agreed in the contract');
    await second.getByRole('button', { name: /Save detail/ }).click();
    await page.getByTestId('invoice-total-due').filter({ hasText: '2,440.80' }).waitFor();
    const breakdown = page.getByRole('region', { name: 'Tax breakdown' });
    assert.match(await breakdown.innerText(), /Standard rate \(S\)\s+19\.00 %/);
    assert.match(await breakdown.innerText(), /7\.00 %\s+EUR\s1,080\.00\s+EUR\s75\.60/);
    await page.getByText('Reason: Reduced rate agreed in the contract').waitFor();

    // The pro forma opens in a new tab, fetched with the token and handed over as a blob.
    const [proForma, tab] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/invoices/${draftId}/document`)),
      page.context().waitForEvent('page'),
      page.getByRole('button', { name: 'Preview pro forma' }).click(),
    ]);
    assert.equal(proForma.status(), 200);
    assert.equal(proForma.headers()['content-type'], 'application/pdf');
    await tab.waitForURL(/^blob:/);
    await tab.close();
    // What the tab shows is the pro forma the endpoint serves for this draft.
    const res = await fetch(`${session.server.url}/api/v1/invoices/${draftId}/document`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const proFormaText = (await pdfPages(Buffer.from(await res.arrayBuffer()))).join(' ');
    assert.match(proFormaText, /Pro forma/);
    assert.match(proFormaText, /Not a valid invoice/);
    assert.match(proFormaText, /Discovery workshop with the finance team/);

    await page.getByRole('button', { name: 'Confirm invoice' }).click();
    // Confirming asks first in a dialog (the screens branch's ConfirmDialog).
    await page
      .getByRole('dialog', { name: 'Confirm this invoice?' })
      .getByRole('button', { name: 'Yes, confirm and number it' })
      .click();
    const heading = page.getByRole('heading', { name: /INV-/ });
    await heading.waitFor();
    const number = (await heading.innerText()).match(/INV-\d+/)?.[0];
    assert.ok(number);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download PDF' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `${number}.pdf`);
    const file = await download.path();
    const bytes = readFileSync(file);
    const text = (await pdfPages(bytes)).join(' ').replace(/\s+/g, ' ');
    for (const expected of [
      `Number ${number}`,
      'Harbour & Fjord Consulting GmbH',
      'Lumière Digital SARL',
      '12 quai de la Pêcherie',
      'VAT ID FR40303265045',
      'Discovery workshop with the finance team',
      'Standard rate (S) 19% 1,080.00 205.20',
      'Standard rate (S) 7% 1,080.00 75.60',
      'Total due € 2,440.80',
      FOOTER,
      'Page 1 of 1',
    ]) {
      assert.ok(text.includes(expected), `the PDF shows "${expected}"`);
    }
    await renderFirstPage(page, bytes);
  });
});

/**
 * Draws the PDF's first page with pdf.js in Chromium (served from node_modules on a made-up
 * origin, away from the app's CSP) and checks it drew text; saved for the README on demand.
 */
async function renderFirstPage(appPage: Page, pdf: Buffer): Promise<void> {
  const page = await appPage.context().newPage();
  await page.setViewportSize({ width: 1000, height: 1400 });
  const build = path.join(root, 'node_modules/pdfjs-dist/build');
  const files: Record<string, [string, Buffer]> = {
    '/pdf.mjs': ['text/javascript', readFileSync(path.join(build, 'pdf.min.mjs'))],
    '/pdf.worker.mjs': ['text/javascript', readFileSync(path.join(build, 'pdf.worker.min.mjs'))],
    '/invoice.pdf': ['application/pdf', pdf],
    '/': [
      'text/html',
      Buffer.from(`<!doctype html><html><body style="margin:0;background:#888">
<canvas id="page" style="display:block;margin:20px auto;box-shadow:0 2px 12px #0006"></canvas>
<script type="module">
import * as pdfjs from '/pdf.mjs';
pdfjs.GlobalWorkerOptions.workerSrc = '/pdf.worker.mjs';
const pdf = await pdfjs.getDocument('/invoice.pdf').promise;
const first = await pdf.getPage(1);
const viewport = first.getViewport({ scale: 1.5 });
const canvas = document.getElementById('page');
canvas.width = viewport.width;
canvas.height = viewport.height;
await first.render({ canvasContext: canvas.getContext('2d'), viewport }).promise;
const text = await first.getTextContent();
document.body.dataset.text = text.items.map((i) => i.str).join(' ');
const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
let inked = 0;
for (let i = 0; i < pixels.length; i += 4) if (pixels[i] < 128) inked += 1;
document.body.dataset.inked = String(inked);
document.body.dataset.rendered = 'yes';
</script></body></html>`),
    ],
  };
  await page.route('http://pdf-viewer.test/**', (route) => {
    const file = files[new URL(route.request().url()).pathname];
    if (!file) return route.fulfill({ status: 404 });
    return route.fulfill({ status: 200, contentType: file[0], body: file[1] });
  });
  await page.goto('http://pdf-viewer.test/');
  await page.locator('body[data-rendered="yes"]').waitFor();
  assert.match((await page.locator('body').getAttribute('data-text')) ?? '', /Total due/);
  // Something was drawn: the canvas is not blank.
  const inked = Number(await page.locator('body').getAttribute('data-inked'));
  assert.ok(inked > 1000, `${inked} dark pixels`);
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    await page
      .locator('#page')
      .screenshot({ path: path.join(root, 'docs/screenshots/invoice-pdf.png') });
  }
  await page.close();
}
