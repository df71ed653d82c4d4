import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { CHURNED_TABLES } from '../../src/db/embedded-vacuum.js';
import { startApi, type TestApi } from '../support/api.js';
import { TARGET } from '../support/database.js';
import { buildContract, buildLine } from '../support/factories.js';
import { readyActuals } from '../support/invoicing.js';

async function vacuumCounts(api: TestApi): Promise<Record<string, number>> {
  const rows = await sql<{ relname: string; n: string }>`
    SELECT relname, vacuum_count::text AS n FROM pg_stat_user_tables
    WHERE relname = ANY(${[...CHURNED_TABLES]}::text[])`.execute(api.database.db);
  return Object.fromEntries(rows.rows.map((r) => [r.relname, Number(r.n)]));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(`vacuum of the tables every action rewrites [${TARGET}]`, () => {
  it(
    TARGET === 'embedded'
      ? 'the embedded server vacuums them itself, between requests that keep working'
      : 'on PostgreSQL the server leaves vacuum to autovacuum',
    async () => {
      const api = await startApi({ vacuumEveryMs: 50 });
      try {
        const before = await vacuumCounts(api);
        assert.deepEqual(Object.keys(before).sort(), [...CHURNED_TABLES].sort());
        // Status changes fold into the kept sums while vacuum passes come and go.
        const contract = await buildContract(api);
        const line = await buildLine(api, contract.id);
        for (let i = 0; i < 5; i++) {
          await readyActuals(api, line.id);
          await sleep(60);
        }
        const totals = await api.get(`/backlog/time-and-material?contractId=${contract.id}`);
        assert.equal(totals.status, 200);
        assert.equal(totals.body.totals.count, 5, 'every status change folded into the kept sums');
        const after = await vacuumCounts(api);
        for (const table of CHURNED_TABLES) {
          if (TARGET === 'embedded') {
            assert.ok(after[table]! > before[table]!, `${table} was vacuumed`);
          } else {
            assert.equal(after[table], before[table], `${table} is autovacuum's`);
          }
        }
      } finally {
        await api.close();
      }
    },
  );
});
