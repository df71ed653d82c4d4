/**
 * Issue 18: `billing-backlog invoice-run --date D` works the run as a job in its own process
 * on the database (R95, R96), and `worker` refuses the embedded database (R97).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiOver } from '../support/api.js';
import { openCliTarget, runCli, startServer, type CliTarget } from '../support/cli.js';
import { TARGET, type TestDatabase } from '../support/database.js';
import { buildContract, buildLine } from '../support/factories.js';
import { readyActuals } from '../support/invoicing.js';

const RUN_DATE = '2026-07-31';
let target: CliTarget;
let contracts: string[] = [];

before(async () => {
  target = await openCliTarget();
  contracts = await target.use(async (database) => {
    const api = await apiOver(database as TestDatabase);
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const contract = await buildContract(api);
      const line = await buildLine(api, contract.id, { invoiceSchedule: [{ runDate: RUN_DATE }] });
      await readyActuals(api, line.id, { date: '2026-07-01' });
      ids.push(contract.id);
    }
    await api.app.close();
    return ids;
  });
});
after(async () => {
  await target.close();
});

describe(`CLI invoice-run and worker [${TARGET}]`, () => {
  it('R95, R96: invoice-run --date works a job in-process; run again it creates nothing twice', async () => {
    const first = await runCli(['invoice-run', '--date', RUN_DATE, '--json', ...target.args]);
    assert.equal(first.code, 0, first.stderr);
    const job = JSON.parse(first.stdout);
    assert.equal(job.status, 'Succeeded');
    assert.deepEqual(job.progress, { contractsDone: 2, contractsTotal: 2 });
    assert.equal(job.invoiceIds.length, 2);
    const invoices = await target.use(({ db }) =>
      db.selectFrom('invoices').select(['id', 'contract_id']).execute(),
    );
    assert.deepEqual(new Set(invoices.map((i) => i.id)), new Set(job.invoiceIds));
    assert.deepEqual(new Set(invoices.map((i) => i.contract_id)), new Set(contracts));

    const again = await runCli(['invoice-run', '--date', RUN_DATE, ...target.args]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /Succeeded, 2\/2 contracts, 0 invoices created, 0 failed/);
  });

  it('R95: with --server the job is queued on a running server and followed through the API', async () => {
    const token = 'cli-run-admin-token-0123456789abcdef';
    const server = await startServer({ ...target.env, ADMIN_TOKEN: token });
    try {
      const url = `http://127.0.0.1:${server.port}`;
      const res = await runCli([
        'invoice-run',
        '--date',
        RUN_DATE,
        '--server',
        url,
        '--token',
        token,
        '--json',
      ]);
      assert.equal(res.code, 0, res.stderr);
      const job = JSON.parse(res.stdout);
      assert.equal(job.status, 'Succeeded');
      assert.deepEqual(job.progress, { contractsDone: 2, contractsTotal: 2 });
      assert.deepEqual(job.invoiceIds, [], 'the in-process run above already invoiced them');
      const listed = await fetch(`${url}/api/v1/invoice-runs/jobs/${job.id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(listed.status, 200);

      const refused = await runCli([
        'invoice-run',
        '--date',
        RUN_DATE,
        '--server',
        url,
        '--token',
        'wrong-token',
      ]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /401/);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('bad usage exits 2', async () => {
    const bad = await runCli(['invoice-run', '--date', '2026-02-30', ...target.args]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--date/);
    const badId = await runCli([
      'invoice-run',
      '--date',
      RUN_DATE,
      '--contract',
      'x',
      ...target.args,
    ]);
    assert.equal(badId.code, 2);
  });

  if (TARGET === 'embedded') {
    it('R97: worker refuses the embedded database and says why', async () => {
      const res = await runCli(['worker', ...target.args]);
      assert.equal(res.code, 2);
      assert.match(res.stderr, /PostgreSQL/);
      assert.match(res.stderr, /only one process/);
    });
  }
});
