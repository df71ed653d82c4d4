/**
 * Issue 18 (R96, R97), crash safety of invoice-run jobs on PostgreSQL: a `billing-backlog
 * worker` process is SIGKILLed in the middle of a 200-contract job; two other workers finish
 * it side by side. Every ready item ends on exactly one invoice, each contract has exactly
 * one, the job reports all 200 and, once confirmed, the invoice numbers are gapless. (On the
 * embedded database only the server process can open the data directory, so there is no
 * second worker to take over: the in-process worker's transactions are proved by the
 * PostgreSQL run and the embedded job tests.) Then the drain: a server that gets SIGTERM in
 * the middle of a job stops claiming, finishes the contract in hand and exits 0.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { apiOver, type TestApi } from '../support/api.js';
import { openTestDatabase, TARGET } from '../support/database.js';
import { checkInvariants } from '../support/invariants.js';
import { cleanEnv, ROOT } from '../support/cli.js';
import { startServer } from '../support/server.js';

const CONTRACTS = 200;
const RUN_DATE = '2026-06-30';

function startWorker(url: string): { child: ChildProcess; output: () => string } {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'bin/billing-backlog.js'), 'worker', '--url', url, '--poll-ms', '100'],
    { cwd: ROOT, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  return { child, output: () => output };
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));

describe(`invoice-run jobs survive a killed worker [${TARGET}]`, () => {
  if (TARGET !== 'postgres') {
    it('runs on PostgreSQL only (workers beside the server need it, R97)', () => {
      assert.equal(TARGET, 'embedded');
    });
    return;
  }
  let api: TestApi;
  const readyIds: string[] = [];
  const contractIds: string[] = [];
  before(async () => {
    api = await apiOver(await openTestDatabase());
    const customer = (await api.post('/customers', { name: 'Kill test customer' })).body.id;
    const entryIds: string[] = [];
    for (let c = 0; c < CONTRACTS; c++) {
      const contract = await api.post('/contracts', {
        name: `Kill test contract ${c}`,
        currency: 'EUR',
        customers: [{ customerId: customer, billingSplitPercent: '100' }],
      });
      assert.equal(contract.status, 201, JSON.stringify(contract.body));
      contractIds.push(contract.body.id);
      const line = await api.post(`/contracts/${contract.body.id}/lines`, {
        name: 'Consulting',
        billingMethod: 'TimeAndMaterial',
        invoiceSchedule: [{ runDate: RUN_DATE }],
      });
      assert.equal(line.status, 201, JSON.stringify(line.body));
      for (let e = 0; e < 2; e++) {
        const entry = await api.post('/entries', {
          contractLineId: line.body.id,
          transactionClass: 'Time',
          date: `2026-06-${String(10 + e).padStart(2, '0')}`,
          quantity: `${1 + (c % 5)}.5`,
          unitPrice: '150.00',
        });
        assert.equal(entry.status, 201, JSON.stringify(entry.body));
        entryIds.push(entry.body.id);
      }
    }
    const approved = await api.post('/entries/approve', { ids: entryIds });
    assert.ok(
      approved.body.results.every((r: any) => r.ok),
      JSON.stringify(approved.body),
    );
    for (let cursor: string | null = null; ;) {
      const page: any = await api.get(
        `/backlog/time-and-material?limit=500${cursor ? `&cursor=${cursor}` : ''}`,
      );
      readyIds.push(...page.body.items.map((r: any) => r.id));
      cursor = page.body.nextCursor;
      if (!cursor) break;
    }
    assert.equal(readyIds.length, CONTRACTS * 2);
    const marked = await api.post('/backlog/time-and-material/mark-ready', { ids: readyIds });
    assert.ok(
      marked.body.results.every((r: any) => r.ok),
      JSON.stringify(marked.body),
    );
  });
  after(async () => {
    await api.close();
  });

  it(`R96: a worker SIGKILLed mid-job; two others finish the ${CONTRACTS} contracts, each billed exactly once`, async () => {
    const url = api.database.url!;
    const first = startWorker(url);
    const queued = await api.post('/invoice-runs/jobs', { runDate: RUN_DATE });
    assert.equal(queued.status, 202, JSON.stringify(queued.body));
    const jobUrl = `/invoice-runs/jobs/${queued.body.id}`;

    // Kill once the worker is well into the job, at whatever point its contract has reached.
    const deadline = Date.now() + 120_000;
    for (;;) {
      const job = (await api.get(jobUrl)).body;
      if (job.progress.contractsDone >= 20) break;
      assert.ok(Date.now() < deadline, `the first worker made no progress:\n${first.output()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    first.child.kill('SIGKILL');
    await exited(first.child);
    const atKill = (await api.get(jobUrl)).body;
    assert.equal(atKill.status, 'Running');
    assert.ok(
      atKill.progress.contractsDone < CONTRACTS,
      `the kill came before the end (${atKill.progress.contractsDone} done)`,
    );

    const others = [startWorker(url), startWorker(url)];
    try {
      let job: any;
      for (;;) {
        job = (await api.get(jobUrl)).body;
        if (job.status !== 'Running') break;
        assert.ok(
          Date.now() < deadline + 120_000,
          `the job did not finish (${job.progress.contractsDone} done):\n${others.map((o) => o.output()).join('\n')}`,
        );
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(job.status, 'Succeeded', JSON.stringify(job.errors));
      assert.deepEqual(job.progress, { contractsDone: CONTRACTS, contractsTotal: CONTRACTS });
      assert.deepEqual(job.errors, []);
      assert.equal(new Set(job.invoiceIds).size, CONTRACTS, 'one invoice per contract');
    } finally {
      for (const o of others) o.child.kill('SIGTERM');
      await Promise.all(others.map((o) => exited(o.child)));
    }

    // Every ready item is on exactly one invoice; each contract has exactly one invoice.
    const invoices = await api.database.db
      .selectFrom('invoices')
      .select(['id', 'contract_id'])
      .execute();
    assert.equal(invoices.length, CONTRACTS);
    assert.deepEqual(new Set(invoices.map((i) => i.contract_id)), new Set(contractIds));
    const job = (await api.get(jobUrl)).body;
    assert.deepEqual(new Set(job.invoiceIds), new Set(invoices.map((i) => i.id)));
    const details = await api.database.db
      .selectFrom('invoice_details')
      .select('source_id')
      .where('source_type', '=', 'Actual')
      .where('kind', '=', 'charge')
      .execute();
    const billed = details.map((d) => d.source_id).filter((id) => readyIds.includes(id));
    assert.equal(billed.length, readyIds.length, 'no item billed twice or left out');
    assert.deepEqual(new Set(billed), new Set(readyIds));

    // Confirmed, the numbers run 1..200 with no gap (R63), and every invariant holds.
    const confirmed = await api.post('/invoices/confirm', {
      ids: invoices.map((i) => i.id),
    });
    assert.ok(
      confirmed.body.results.every((r: any) => r.ok),
      JSON.stringify(confirmed.body),
    );
    assert.deepEqual(await checkInvariants(api.database.db), []);
  });

  it('R97: the drain stops the server claiming, lets the contract in hand commit, and exits 0', async () => {
    const DRAIN_DATE = '2026-09-30';
    const customer = (await api.post('/customers', { name: 'Drain customer' })).body.id;
    const ids: string[] = [];
    const actualIds: string[] = [];
    for (let c = 0; c < 40; c++) {
      const contract = await api.post('/contracts', {
        name: `Drain contract ${c}`,
        currency: 'EUR',
        customers: [{ customerId: customer, billingSplitPercent: '100' }],
      });
      ids.push(contract.body.id);
      const line = await api.post(`/contracts/${contract.body.id}/lines`, {
        name: 'Consulting',
        billingMethod: 'TimeAndMaterial',
        invoiceSchedule: [{ runDate: DRAIN_DATE }],
      });
      const entry = await api.post('/entries', {
        contractLineId: line.body.id,
        transactionClass: 'Time',
        date: '2026-09-01',
        quantity: '2',
        unitPrice: '90.00',
      });
      const approved = await api.post(`/entries/${entry.body.id}/approve`, {});
      actualIds.push(...approved.body.actuals.map((a: any) => a.id));
    }
    await api.post('/backlog/time-and-material/mark-ready', { ids: actualIds });

    const server = await startServer({ DATABASE_URL: api.database.url!, SHUTDOWN_GRACE_MS: '0' });
    const queued = await server.request('POST', '/invoice-runs/jobs', { runDate: DRAIN_DATE });
    assert.equal(queued.status, 202);
    const jobUrl = `/invoice-runs/jobs/${queued.body.id}`;
    const deadline = Date.now() + 120_000;
    while ((await api.get(jobUrl)).body.progress.contractsDone < 3) {
      assert.ok(Date.now() < deadline, server.output());
      await new Promise((r) => setTimeout(r, 20));
    }
    await server.kill('SIGTERM');
    const { code } = await server.exited;
    assert.equal(code, 0, server.output());
    assert.doesNotMatch(server.output(), /a step failed|"level":50/);

    const stopped = (await api.get(jobUrl)).body;
    assert.equal(stopped.status, 'Running');
    assert.ok(
      stopped.progress.contractsDone < 40,
      `stopped before the end (${stopped.progress.contractsDone})`,
    );
    // Exactly the contracts reported done have invoices: none half-done, none left uncounted.
    const invoiced = await api.database.db
      .selectFrom('invoices')
      .select(['id', 'contract_id'])
      .where('contract_id', 'in', ids)
      .execute();
    assert.equal(invoiced.length, stopped.progress.contractsDone);
    assert.deepEqual(new Set(invoiced.map((i) => i.id)), new Set(stopped.invoiceIds));

    // Any worker finishes it later.
    const worker = startWorker(api.database.url!);
    try {
      let job: any;
      do {
        await new Promise((r) => setTimeout(r, 100));
        job = (await api.get(jobUrl)).body;
        assert.ok(Date.now() < deadline + 60_000, worker.output());
      } while (job.status === 'Running');
      assert.equal(job.status, 'Succeeded');
      assert.equal(job.invoiceIds.length, 40);
    } finally {
      worker.child.kill('SIGTERM');
      await exited(worker.child);
    }
  });
});
