/**
 * "The grid stays smooth on a filter with 100,000 rows", checked by behaviour, not by timing:
 * 100,000+ unbilled actuals loaded by set-based SQL (the benchmark's generator) before the
 * server starts; the T&M view counts them all, and while it is scrolled deep with the
 * keyboard and the mouse wheel the DOM holds a bounded number of rows (virtualised), more
 * pages come through the cursor API, and every rendered row is the one the API puts at that
 * position. Frame times while scrolling are measured by `npm run bench -- --grid`, not here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { generate } from '../../bench/generate.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { E2E_TIMEOUT, e2eSession, ok, signedInPage } from './support.js';

const ROWS = 100_000;
/** How deep the test scrolls: 30 pages of 100 rows (the grid's page size). */
const DEPTH = 3_000;
/** A virtualised grid renders the visible rows plus its overscan, never the loaded ones. */
const MAX_RENDERED = 200;

let generated = 0;
const session = e2eSession(undefined, {
  async prepareDataDir(dataDir) {
    const database = await openDatabase({ dataDir });
    try {
      await migrateToLatest(database.db as never);
      generated = (await generate(database.db, ROWS)).actuals;
    } finally {
      await database.close();
    }
  },
});

interface Rendered {
  index: number;
  id: string;
}

/** The row elements in the DOM, in document order, with the index the grid gave them. */
async function renderedRows(page: Page): Promise<Rendered[]> {
  return page.locator('[data-testid=grid-scroll] tbody tr[data-row-id]').evaluateAll((trs) =>
    trs.map((tr) => ({
      index: Number(tr.getAttribute('data-index')),
      id: tr.getAttribute('data-row-id') ?? '',
    })),
  );
}

/** The ids of the first `n` rows of the default view (open items, by date then id), from the API. */
async function apiOrder(n: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  while (ids.length < n) {
    const q = new URLSearchParams({ sort: 'date', limit: '500', ...(cursor ? { cursor } : {}) });
    const page: { items: { id: string }[]; nextCursor: string | null } = await ok(
      session.server.api('GET', `/backlog/time-and-material?${q}`),
      200,
    );
    ids.push(...page.items.map((r) => r.id));
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return ids;
}

describe('web UI: a backlog of 100,000 rows', E2E_TIMEOUT, () => {
  it('counts the whole filter, keeps the DOM bounded while scrolling deep, and loads pages in order through the cursor', async () => {
    assert.ok(generated >= ROWS, `generated ${generated} actuals`);
    const page = await signedInPage(session.browser, session.server);
    const cursorRequests: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/v1/backlog/time-and-material' && url.searchParams.has('cursor')) {
        cursorRequests.push(url.searchParams.get('cursor') ?? '');
      }
    });

    // Totals are for the whole filter, not the loaded rows.
    const count = page.getByTestId('totals-count');
    await count.filter({ hasText: String(generated) }).waitFor();
    const loadMore = page.getByRole('button', { name: /^Load more/ });
    assert.match(await loadMore.innerText(), new RegExp(`\\(100 of ${generated}\\)`));
    const scroller = page.getByTestId('grid-scroll');
    assert.equal(await scroller.locator('table').getAttribute('aria-rowcount'), String(generated));
    const expected = await apiOrder(DEPTH + 100);

    const check = async (where: string) => {
      const rows = await renderedRows(page);
      assert.ok(rows.length > 0, `${where}: rows are rendered`);
      assert.ok(
        rows.length < MAX_RENDERED,
        `${where}: ${rows.length} row elements in the DOM (virtualised: < ${MAX_RENDERED})`,
      );
      rows.forEach((row, i) => {
        if (i > 0) assert.equal(row.index, rows[i - 1]!.index + 1, `${where}: rows are contiguous`);
        assert.equal(row.id, expected[row.index], `${where}: row ${row.index} is the API's row`);
      });
      return rows;
    };
    await check('first page');

    // The keyboard: focus the grid and press End until DEPTH rows are loaded; each End
    // reaches the last loaded row, which asks the cursor API for the next page.
    await scroller.focus();
    let loaded = 100;
    while (loaded < DEPTH) {
      // A press that lands before the grid has laid out the page just loaded scrolls
      // nowhere; a user presses again, and so does the test (a few times at most).
      const grown = loadMore.filter({ hasText: new RegExp(`\\((?!${loaded} of)\\d+ of`) });
      for (let press = 1; ; press++) {
        await page.keyboard.press('End');
        try {
          await grown.waitFor({ timeout: 5_000 });
          break;
        } catch (error) {
          if (press >= 4) throw error;
        }
      }
      loaded = Number(/\((\d+) of/.exec(await loadMore.innerText())?.[1]);
      const rows = await check(`after End with ${loaded} loaded`);
      assert.ok(rows.at(-1)!.index >= loaded - 100 - 20, 'End shows the last loaded rows');
    }
    assert.ok(loaded >= DEPTH);

    // Pages came one cursor after another, never the same page twice.
    assert.ok(cursorRequests.length >= DEPTH / 100 - 1, `${cursorRequests.length} cursor pages`);
    assert.equal(new Set(cursorRequests).size, cursorRequests.length, 'each cursor asked once');

    // The mouse wheel back up through the loaded rows, a few screens at a time.
    const box = (await scroller.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 8; i++) {
      const before = await scroller.evaluate((el) => el.scrollTop);
      await page.mouse.wheel(0, -4_000);
      // Polled from here: a string predicate would be eval'ed in the page, which the UI's
      // content security policy forbids.
      for (let t = 0; (await scroller.evaluate((el) => el.scrollTop)) >= before; t++) {
        assert.ok(t < 100, `wheel up ${i + 1}: the grid did not scroll`);
        await page.waitForTimeout(50);
      }
      await check(`wheel up ${i + 1}`);
    }
    // Home: back at the first row, with the same bounded DOM.
    await scroller.focus();
    await page.keyboard.press('Home');
    await scroller.locator('tbody tr[data-index="0"]').waitFor();
    const top = await check('Home');
    assert.equal(top[0]!.index, 0);
    assert.match(await count.innerText(), new RegExp(`^${generated}$`));
  });
});
