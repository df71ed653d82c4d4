import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { E2E_TIMEOUT, e2eSession, screenshot, signedInPage } from './support.js';

const session = e2eSession();

describe('web UI: contracts', E2E_TIMEOUT, () => {
  it('creates customers, a contract (showing the API field errors inline, R5) and a line through the UI', async () => {
    const page = await signedInPage(session.browser, session.server);
    await page.getByRole('link', { name: 'Contracts' }).click();
    for (const name of ['Acme Corp', 'Globex']) {
      await page.locator('input[name=customerName]').fill(name);
      await page.getByRole('button', { name: 'Create customer' }).click();
      await page.getByText(`Customer “${name}” created.`).waitFor();
    }

    await page.locator('input[name=name]').fill('Website rebuild');
    // The customer pickers search the server by name: type part of it, pick the match.
    await page.locator('input[name="customers.0.customerId"]').fill('acme');
    await page.getByRole('option', { name: 'Acme Corp' }).click();
    await page.locator('input[name="customers.0.billingSplitPercent"]').fill('60');
    await page.getByRole('button', { name: 'Add customer' }).click();
    await page.locator('input[name="customers.1.customerId"]').fill('lob');
    await page.getByRole('option', { name: 'Globex' }).click();
    await page.locator('input[name="customers.1.billingSplitPercent"]').fill('30');
    await page.getByRole('button', { name: 'Create contract' }).click();
    // R5: splits that do not sum to 100 are refused; the message sits by the splits.
    const splitError = page.locator('.field-error[data-field="customers"]');
    await splitError.waitFor();
    assert.match(await splitError.innerText(), /100/);

    await page.locator('input[name="customers.1.billingSplitPercent"]').fill('40');
    await page.locator('input[name="customers.0.notToExceed"]').fill('abc');
    await page.getByRole('button', { name: 'Create contract' }).click();
    await page.locator('.field-error[data-field="customers.0.notToExceed"]').waitFor();

    await page.locator('input[name="customers.0.notToExceed"]').fill('');
    await page.getByRole('button', { name: 'Create contract' }).click();
    await page.getByRole('heading', { name: 'Website rebuild' }).waitFor();
    assert.match(page.url(), /\/contracts\/\d+$/);

    await page.locator('input[name=lineName]').fill('Development');
    await page.locator('input[name=lineNotToExceed]').fill('5000.00');
    await page.getByRole('button', { name: 'Add line' }).click();
    const line = page.getByRole('article', { name: 'Line Development' });
    await line.waitFor();
    assert.match(await line.innerText(), /\$5,000\.00|USD\s5,000\.00/);
    assert.match(await line.innerText(), /Acme Corp/);
    assert.match(await line.innerText(), /Globex/);

    const contractId = page.url().split('/').pop()!;
    const stored = await session.server.api('GET', `/contracts/${contractId}`);
    assert.deepEqual(
      stored.body.customers.map((c: any) => [c.billingSplitPercent, c.isRounding]),
      [
        ['60.00', true],
        ['40.00', false],
      ],
    );
    assert.equal(stored.body.lines[0].notToExceed, '5000.00');
    await screenshot(page, 'contract');

    // The list searches the server by part of the name.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Contracts' })
      .click();
    const search = page.getByRole('searchbox', { name: 'Find a contract' });
    await search.fill('REBUILD');
    const list = page.getByRole('table', { name: 'Contracts' });
    await list.getByRole('link', { name: 'Website rebuild' }).waitFor();
    assert.match(await list.innerText(), /Acme Corp 60\.00 %, Globex 40\.00 %/);
    await search.fill('no such contract');
    await page.getByText('No contract matches.').waitFor();
  });
});
