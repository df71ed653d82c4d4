import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { E2E_TIMEOUT, e2eSession, ok, screenshot, signedInPage } from './support.js';

const session = e2eSession(() => seed());

function daysAgo(n: number): string {
  const d = new Date();
  d.setDate(d.getDate() - n);
  const pad = (x: number) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Two customers with work 10 and 45 days old. */
async function seed(): Promise<void> {
  for (const [name, ages] of [
    ['Initech', [10, 45]],
    ['Umbrella', [10]],
  ] as const) {
    const customer = await ok(session.server.api('POST', '/customers', { name }), 201);
    const contract = await ok(
      session.server.api('POST', '/contracts', {
        name: `${name} retainer work`,
        currency: 'USD',
        customers: [{ customerId: customer.id }],
      }),
      201,
    );
    const line = await ok(
      session.server.api('POST', `/contracts/${contract.id}/lines`, {
        name: 'Support',
        billingMethod: 'TimeAndMaterial',
      }),
      201,
    );
    for (const age of ages) {
      const entry = await ok(
        session.server.api('POST', '/entries', {
          contractLineId: line.id,
          transactionClass: 'Time',
          date: daysAgo(age),
          quantity: '2.5',
          unitPrice: '120.10',
        }),
        201,
      );
      await ok(session.server.api('POST', `/entries/${entry.id}/approve`, {}), 200);
    }
  }
}

async function noPageOverflow(page: Page): Promise<void> {
  const [scroll, width] = (await page.evaluate(
    '[document.documentElement.scrollWidth, window.innerWidth]',
  )) as [number, number];
  assert.ok(scroll <= width, `page is ${scroll}px wide in a ${width}px window`);
}

describe('web UI: backlog ageing', E2E_TIMEOUT, () => {
  it('R1: shows unbilled amounts by age bucket and customer, exact to the cent, keyboard usable', async () => {
    const page = await signedInPage(session.browser, session.server);
    await page.getByRole('link', { name: 'Ageing' }).click();
    const table = page.getByRole('table', { name: 'Unbilled USD by customer and age' });
    await table.waitFor();
    const amounts = async (row: string) =>
      table
        .getByRole('row', { name: new RegExp(row) })
        .locator('[data-amount]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-amount')));
    // One row per customer: 0–30, 31–60, 61–90, 91–180, over 180 days, total.
    assert.deepEqual(await amounts('Initech'), [
      '300.25',
      '300.25',
      '0.00',
      '0.00',
      '0.00',
      '600.50',
    ]);
    assert.deepEqual(await amounts('Umbrella'), [
      '300.25',
      '0.00',
      '0.00',
      '0.00',
      '0.00',
      '300.25',
    ]);
    assert.deepEqual(await amounts('All customers'), [
      '600.50',
      '300.25',
      '0.00',
      '0.00',
      '0.00',
      '900.75',
    ]);
    assert.match(await page.getByRole('heading', { name: /Unbilled USD/ }).innerText(), /900\.75/);

    // Filtered by a customer picked by typing part of its name.
    await page.locator('input[name=customerId]').fill('mbrel');
    await page.getByRole('option', { name: 'Umbrella' }).click();
    await page
      .getByRole('heading', { name: /Unbilled USD/ })
      .filter({ hasText: '300.25' })
      .waitFor();
    assert.equal(await table.getByRole('row', { name: /Initech/ }).count(), 0);
    await page.locator('input[name=customerId]').fill('');
    await page.locator('input[name=customerId]').blur();
    await page
      .getByRole('heading', { name: /Unbilled USD/ })
      .filter({ hasText: '900.75' })
      .waitFor();

    // The chart takes focus and arrow keys move its tooltip between buckets.
    const surface = page.locator('.chart-wrap [tabindex="0"]').first();
    await surface.focus();
    await page.keyboard.press('ArrowRight');
    await page
      .locator('.recharts-tooltip-wrapper')
      .filter({ hasText: /Unbilled USD/ })
      .waitFor();
    await noPageOverflow(page);
    await screenshot(page, 'ageing');
  });

  it('fits a narrow screen: the backlog and the ageing page do not overflow the window', async () => {
    const page = await signedInPage(session.browser, session.server, { width: 390, height: 844 });
    await page.getByRole('tabpanel').locator('tbody tr[data-row-id]').first().waitFor();
    await noPageOverflow(page);
    await page.getByRole('link', { name: 'Ageing' }).click();
    await page.getByRole('table', { name: 'Unbilled USD by customer and age' }).waitFor();
    await noPageOverflow(page);
  });
});
