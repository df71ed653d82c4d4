/**
 * Keeps `npm run bench` from rotting: the generator at a tiny scale keeps the ledger's
 * invariants, and every measured operation runs through the real server and as raw SQL.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { benchDatabase } from '../../bench/run.js';
import { openTestDatabase, TARGET } from '../support/database.js';

describe(`benchmark at a tiny scale [${TARGET}]`, () => {
  it('R3: generated actuals split each entry exactly; every operation is measured through the API and as raw SQL', async () => {
    const result = await benchDatabase(
      async () => {
        const database = await openTestDatabase();
        const original = database.close;
        // Check the generated data before the benchmark closes the database.
        return {
          ...database,
          async close() {
            const broken = await sql<{ id: string }>`
              SELECT e.id FROM entries e JOIN contracts c ON c.id = e.contract_id
              JOIN actuals a ON a.contract_id = e.contract_id AND a.entry_id = e.id
              WHERE e.status = 'Approved' AND a.billing_status IS NOT NULL
              GROUP BY e.contract_id, e.id, c.currency
              HAVING sum(a.quantity) <> e.quantity
                  OR sum(a.amount) <> round(e.quantity * e.unit_price * CASE c.currency WHEN 'JPY' THEN 1 ELSE 100 END)
            `.execute(database.db);
            assert.deepEqual(
              broken.rows,
              [],
              'every entry is split exactly over its line customers',
            );
            const splits = await sql<{ n: string }>`
              SELECT count(*) AS n FROM (
                SELECT contract_id, contract_line_id FROM line_customers GROUP BY 1, 2
                HAVING sum(split_percent) <> 100 OR count(*) FILTER (WHERE is_rounding) <> 1) x
            `.execute(database.db);
            assert.equal(
              splits.rows[0]?.n,
              '0',
              'every line splits 100 % with one rounding customer',
            );
            await original();
          },
        };
      },
      { scale: 400, runs: 1, reopen: false, log: () => {} },
    );
    assert.equal(result.database, TARGET);
    assert.ok(
      result.shape.actuals >= 380 && result.shape.actuals <= 420,
      `about 400 actuals, got ${result.shape.actuals}`,
    );
    const operations = new Set(result.measurements.map((m) => m.operation));
    assert.ok(operations.has('T&M backlog page (50 rows + totals)'));
    assert.ok(operations.has('Bulk mark ready'));
    assert.ok(operations.has('Approve entries (bulk POST /entries/approve)'));
    assert.ok(operations.has('Invoice run (POST /invoice-runs)'));
    assert.ok(operations.has('Confirm one invoice (POST /invoices/{id}/confirm)'));
    for (const m of result.measurements) {
      assert.ok(
        m.api.n >= 1 && m.api.median > 0,
        `${m.operation} ${m.detail} measured through the API`,
      );
      if (m.raw)
        assert.ok(
          m.raw.median > 0 && (m.ratio ?? 0) > 0,
          `${m.operation} ${m.detail} has a raw baseline`,
        );
    }
    assert.ok(result.rss.peakMb > 0);
  });
});
