/**
 * Issue 18 (R95–R97): invoice runs queued as jobs and worked by the server's own worker, on
 * the embedded database and on PostgreSQL: queue, progress, the invoices created, a failing
 * contract reported on its own while the job goes on, re-runs that create nothing twice,
 * validation and roles.
 */
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { after, before, describe, it } from 'node:test';
import { startApi, type TestApi } from '../support/api.js';
import { TARGET } from '../support/database.js';
import { buildContract, buildLine } from '../support/factories.js';
import { finishContract, insertJob, startJob } from '../../src/repositories/invoice-run-jobs.js';
import { billingStatusOf, readyActuals } from '../support/invoicing.js';

let api: TestApi;
const tokens: Record<string, string> = {};
before(async () => {
  api = await startApi({ jobWorkers: 1, jobPollMs: 50, jobRetentionDays: 30 });
  for (const role of ['viewer', 'biller', 'approver']) {
    const res = await api.post('/tokens', { name: `jobs-${role}`, role });
    tokens[role] = res.body.token;
  }
});
after(async () => {
  await api.close();
});

let day = 0;
const nextRunDate = () =>
  `2028-0${1 + Math.floor(day / 28)}-${String((day++ % 28) + 1).padStart(2, '0')}`;

/** A contract with one T&M line run on `runDate` and `items` ready actuals before it. */
async function scheduledContract(runDate: string, items = 2) {
  const contract = await buildContract(api);
  const line = await buildLine(api, contract.id, {
    invoiceSchedule: [{ runDate, cutoffDate: runDate }],
  });
  const actuals = [];
  for (let i = 0; i < items; i++)
    actuals.push(...(await readyActuals(api, line.id, { date: runDate, quantity: `${i + 1}` })));
  return { id: contract.id, name: contract.body.name as string, actuals };
}

const bearer = (role: string) => ({ authorization: `Bearer ${tokens[role]}` });

async function queue(body: unknown, role?: string) {
  return api.post('/invoice-runs/jobs', body, role ? bearer(role) : {});
}

/** Polls the job until it has finished (Succeeded or Failed). */
async function finished(id: string): Promise<any> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await api.get(`/invoice-runs/jobs/${id}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    if (res.body.status === 'Succeeded' || res.body.status === 'Failed') return res.body;
    assert.ok(Date.now() < deadline, `job ${id} still ${res.body.status}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function invoiceIdsOf(contractIds: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const contractId of contractIds) {
    const res = await api.get(`/invoices?contractId=${contractId}`);
    ids.push(...res.body.items.map((i: any) => i.id));
  }
  return ids.sort();
}

describe(`invoice-run jobs [${TARGET}]`, () => {
  it('R95: a biller queues a run (202 Queued); the worker invoices every contract and reports progress and invoices', async () => {
    const runDate = nextRunDate();
    const contracts = [];
    for (let i = 0; i < 3; i++) contracts.push(await scheduledContract(runDate));
    const res = await queue({ runDate }, 'biller');
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.equal(res.body.status, 'Queued');
    assert.equal(res.body.runDate, runDate);
    assert.match(res.body.id, /^\d+$/);

    const job = await finished(res.body.id);
    assert.equal(job.status, 'Succeeded');
    assert.deepEqual(job.progress, { contractsDone: 3, contractsTotal: 3 });
    assert.deepEqual(job.errors, []);
    const created = await invoiceIdsOf(contracts.map((c) => c.id));
    assert.equal(created.length, 3, 'one invoice per contract (one customer each)');
    assert.deepEqual([...job.invoiceIds].sort(), created);
    for (const c of contracts)
      for (const a of c.actuals)
        assert.equal(await billingStatusOf(api, a.id), 'CustomerInvoiceCreated');
    assert.ok(Date.parse(job.createdAt) <= Date.parse(job.startedAt));
    assert.ok(Date.parse(job.startedAt) <= Date.parse(job.finishedAt));
  });

  it('R96, R75, R77: the contracts of one batch each get their own drafts, terms and items in full', async () => {
    const runDate = nextRunDate();
    const contracts = [];
    for (let i = 0; i < 3; i++) contracts.push(await scheduledContract(runDate, i + 1));
    const customers = await Promise.all(
      contracts.map(
        async (c) => (await api.get(`/contracts/${c.id}`)).body.customers[0].customerId,
      ),
    );
    for (const [i, id] of customers.entries()) {
      const res = await api.patch(`/customers/${id}`, { paymentTermsDays: 5 + i });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    const job = await finished((await queue({ runDate })).body.id);
    assert.equal(job.status, 'Succeeded');
    for (const [i, c] of contracts.entries()) {
      const [draft, ...more] = (await api.get(`/invoices?contractId=${c.id}`)).body.items;
      assert.deepEqual(more, []);
      assert.equal(draft.customerId, customers[i]);
      assert.equal(draft.paymentTermsDays, 5 + i);
      const full = (await api.get(`/invoices/${draft.id}`)).body;
      assert.deepEqual(
        full.lines.flatMap((l: any) => l.details.map((d: any) => d.sourceId)).sort(),
        c.actuals.map((a: any) => a.id).sort(),
      );
    }
  });

  it('R96, R66: queuing the same date again (and a synchronous run after it) creates nothing twice', async () => {
    const runDate = nextRunDate();
    const a = await scheduledContract(runDate);
    const b = await scheduledContract(runDate, 3);
    const first = await finished((await queue({ runDate })).body.id);
    assert.equal(first.invoiceIds.length, 2);
    const again = await finished((await queue({ runDate, contractIds: [b.id, a.id] })).body.id);
    assert.equal(again.status, 'Succeeded');
    assert.deepEqual(again.progress, { contractsDone: 2, contractsTotal: 2 });
    assert.deepEqual(again.invoiceIds, []);
    const sync = await api.post('/invoice-runs', { runDate });
    assert.equal(sync.status, 201);
    assert.deepEqual(sync.body.invoices, []);
    assert.deepEqual(await invoiceIdsOf([a.id, b.id]), [...first.invoiceIds].sort());
  });

  it('R96: a contract that fails is reported in errors, changes nothing, and the job goes on with the others', async () => {
    const runDate = nextRunDate();
    const a = await scheduledContract(runDate);
    const poisoned = await scheduledContract(runDate);
    const c = await scheduledContract(runDate);
    // Any failure inside a contract's work: here the database refuses its invoice.
    const db = api.database.db;
    await sql`CREATE FUNCTION refuse_invoice() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refused by the test'; END $$`.execute(db);
    await sql`CREATE TRIGGER refuse_invoice BEFORE INSERT ON invoices FOR EACH ROW
      WHEN (NEW.contract_id = ${sql.lit(Number(poisoned.id))}) EXECUTE FUNCTION refuse_invoice()`.execute(
      db,
    );
    try {
      const job = await finished(
        (await queue({ runDate, contractIds: [c.id, poisoned.id, a.id] })).body.id,
      );
      assert.equal(job.status, 'Succeeded');
      assert.deepEqual(job.progress, { contractsDone: 3, contractsTotal: 3 });
      assert.equal(job.errors.length, 1, JSON.stringify(job.errors));
      assert.equal(job.errors[0].contractId, poisoned.id);
      assert.equal(job.errors[0].contractName, poisoned.name);
      assert.equal(job.errors[0].code, 'INTERNAL');
      assert.equal(typeof job.errors[0].message, 'string');
      assert.deepEqual([...job.invoiceIds].sort(), await invoiceIdsOf([a.id, c.id]));
      assert.equal(job.invoiceIds.length, 2);
      assert.deepEqual(await invoiceIdsOf([poisoned.id]), []);
      for (const x of poisoned.actuals)
        assert.equal(await billingStatusOf(api, x.id), 'ReadyToInvoice');

      // Every contract failing fails the job.
      const alone = await finished((await queue({ runDate, contractIds: [poisoned.id] })).body.id);
      assert.equal(alone.status, 'Failed');
      assert.equal(alone.errors[0].contractId, poisoned.id);
    } finally {
      await sql`DROP TRIGGER refuse_invoice ON invoices`.execute(db);
      await sql`DROP FUNCTION refuse_invoice()`.execute(db);
    }
    // Fixed, the next job invoices the contract that failed and nothing else again.
    const retry = await finished((await queue({ runDate })).body.id);
    assert.deepEqual(retry.errors, []);
    assert.deepEqual(retry.invoiceIds, await invoiceIdsOf([poisoned.id]));
    assert.equal(retry.invoiceIds.length, 1);
  });

  it('R96: progress, invoices and errors are summed from the contract rows, in contract order, in the list and alone', async () => {
    const [a, b, c, d] = [
      await buildContract(api),
      await buildContract(api),
      await buildContract(api),
      await buildContract(api),
    ];
    const job = await insertJob(api.database.db, {
      runDate: nextRunDate(),
      actor: 'test',
      contractIds: [],
    });
    await startJob(api.database.db, job.id, [d.id, b.id, c.id, a.id]);
    await finishContract(api.database.db, job.id, a.id, { invoiceIds: ['902', '901'] });
    await finishContract(api.database.db, job.id, c.id, { invoiceIds: ['900'] });
    await finishContract(api.database.db, job.id, d.id, {
      code: 'NTE_EXCEEDED',
      message: 'over the cap',
    });
    // Frozen half-way (b still Pending) by ending the job by hand, so the server's own worker
    // leaves b alone while the test reads.
    await sql`UPDATE invoice_run_jobs SET status = 'Failed', finished_at = now()
      WHERE id = ${job.id}`.execute(api.database.db);

    const alone = (await api.get(`/invoice-runs/jobs/${job.id}`)).body;
    assert.deepEqual(alone.progress, { contractsDone: 3, contractsTotal: 4 });
    assert.deepEqual(alone.invoiceIds, ['902', '901', '900']);
    assert.deepEqual(alone.errors, [
      {
        contractId: d.id,
        contractName: d.body.name,
        code: 'NTE_EXCEEDED',
        message: 'over the cap',
      },
    ]);
    const listed = (await api.get('/invoice-runs/jobs?limit=500')).body.items;
    assert.deepEqual(
      listed.find((j: any) => j.id === job.id),
      alone,
    );
  });

  it('finished jobs past their retention (30 days here) are forgotten when a job finishes; their invoices stay', async () => {
    const runDate = nextRunDate();
    const contract = await scheduledContract(runDate);
    const old = await finished((await queue({ runDate, contractIds: [contract.id] })).body.id);
    assert.equal(old.invoiceIds.length, 1);
    const recent = await finished((await queue({ runDate: '1999-01-02' })).body.id);
    const backdate = (id: string, days: number) =>
      sql`UPDATE invoice_run_jobs SET created_at = now() - make_interval(days => ${days}),
        started_at = now() - make_interval(days => ${days}),
        finished_at = now() - make_interval(days => ${days}) WHERE id = ${id}`.execute(
        api.database.db,
      );
    await backdate(old.id, 31);
    await backdate(recent.id, 29);

    await finished((await queue({ runDate: '1999-01-03' })).body.id);
    const deadline = Date.now() + 10_000;
    while ((await api.get(`/invoice-runs/jobs/${old.id}`)).status !== 404) {
      assert.ok(Date.now() < deadline, 'the 31-day-old job is still there');
      await new Promise((r) => setTimeout(r, 25));
    }
    const rows = await sql<{ n: number }>`SELECT count(*)::int AS n
      FROM invoice_run_job_contracts WHERE job_id = ${old.id}`.execute(api.database.db);
    assert.equal(rows.rows[0]!.n, 0, 'its contract rows went with it');
    assert.equal((await api.get(`/invoice-runs/jobs/${recent.id}`)).status, 200);
    const invoice = await api.get(`/invoices/${old.invoiceIds[0]}`);
    assert.equal(invoice.status, 200, 'the invoice the job created stays');
  });

  it('R95: a job with nothing to invoice succeeds with no contracts', async () => {
    const job = await finished((await queue({ runDate: '1999-01-01' })).body.id);
    assert.equal(job.status, 'Succeeded');
    assert.deepEqual(job.progress, { contractsDone: 0, contractsTotal: 0 });
    assert.deepEqual(job.invoiceIds, []);
  });

  it('R95: bad input is 400 naming the field and queues nothing', async () => {
    const before = (await api.get('/invoice-runs/jobs?limit=500')).body.items.length;
    const cases: [unknown, string, number?][] = [
      [{}, 'runDate'],
      [{ runDate: '2028-02-30' }, 'runDate'],
      [{ runDate: '2028-01-01', contractIds: [] }, 'contractIds'],
      [{ runDate: '2028-01-01', contractIds: ['x'] }, 'contractIds.0'],
      [{ runDate: '2028-01-01', dryRun: true }, ''],
    ];
    const known = (await buildContract(api)).id;
    // A well-formed id that names no contract breaks a rule rather than the schema: 422, as
    // the synchronous run answers it.
    cases.push([
      { runDate: '2028-01-01', contractIds: [known, '987654321'] },
      'contractIds.1',
      422,
    ]);
    for (const [body, field, status = 400] of cases) {
      const res = await queue(body);
      assert.equal(res.status, status, JSON.stringify(body));
      assert.equal(res.body.code, 'VALIDATION_FAILED');
      if (field)
        assert.ok(
          res.body.errors.some((e: any) => e.field === field),
          `${JSON.stringify(body)}: ${JSON.stringify(res.body.errors)}`,
        );
    }
    assert.equal((await api.get('/invoice-runs/jobs?limit=500')).body.items.length, before);
  });

  it('R95: billers and admins queue, viewers and approvers may not; every role reads; newest first, paged', async () => {
    const runDate = nextRunDate();
    assert.equal((await queue({ runDate }, 'viewer')).status, 403);
    assert.equal((await queue({ runDate }, 'approver')).status, 403);
    const older = (await queue({ runDate }, 'biller')).body.id;
    const newer = (await queue({ runDate })).body.id;
    for (const role of ['viewer', 'approver', 'biller']) {
      const page = await api.get('/invoice-runs/jobs?limit=1', tokens[role]);
      assert.equal(page.status, 200);
      assert.deepEqual(
        page.body.items.map((j: any) => j.id),
        [newer],
      );
      assert.ok(page.body.nextCursor);
      const next = await api.get(
        `/invoice-runs/jobs?limit=1&cursor=${page.body.nextCursor}`,
        tokens[role],
      );
      assert.deepEqual(
        next.body.items.map((j: any) => j.id),
        [older],
      );
      assert.equal((await api.get(`/invoice-runs/jobs/${older}`, tokens[role])).status, 200);
    }
    assert.equal((await api.get('/invoice-runs/jobs/987654321')).status, 404);
    assert.equal((await api.get('/invoice-runs/jobs/abc')).status, 404);
    assert.equal((await api.get('/invoice-runs/jobs?cursor=nope')).status, 400);
    await finished(newer);
  });
});
