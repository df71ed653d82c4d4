/**
 * Keeps `npm run bench:grid` from rotting: the grid benchmark at a tiny scale records frames
 * in both phases and loads the pages it asks for. No time is asserted.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { benchGrid, renderGridMarkdown } from '../../bench/grid.js';
import { E2E_TIMEOUT } from './support.js';

describe('grid benchmark at a tiny scale', E2E_TIMEOUT, () => {
  it('records animation frames and the rows in the DOM while paging with End and scrolling with the wheel', async () => {
    const result = await benchGrid({ scale: 400, pages: 2, wheel: 5, log: () => {} });
    assert.ok(result.shape.actuals >= 380, `about 400 actuals, got ${result.shape.actuals}`);
    assert.equal(result.rowsLoaded, 300);
    assert.equal(result.pageLoad.n, 2);
    for (const phase of [result.endPhase, result.wheelPhase]) {
      assert.ok(phase.frames.n > 0, 'frames recorded');
      assert.ok(phase.maxRowsInDom > 0 && phase.maxRowsInDom < 200, `${phase.maxRowsInDom} rows`);
    }
    assert.match(renderGridMarkdown(result), /\| End × 2 \(loads a page each\) \| \d+ \|/);
  });
});
