import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApi, type TestApi } from '../support/api.js';
import { TARGET } from '../support/database.js';
import {
  buildContract,
  buildFixedPriceLine,
  buildLine,
  buildMilestone,
  buildRetainer,
  markReady,
} from '../support/factories.js';
import { allDetails, billingStatusOf, readyActuals } from '../support/invoicing.js';

let api: TestApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.close();
});

/** Run dates are unique per test so runs over "all contracts" see only this test's lines. */
let day = 0;
const nextRunDate = () =>
  `2027-0${1 + Math.floor(day / 28)}-${String((day++ % 28) + 1).padStart(2, '0')}`;

describe(`invoice runs [${TARGET}]`, () => {
  it("R66: a run takes each scheduled line's ready items up to its cut-off; lines of a contract share one invoice per customer", async () => {
    const runDate = nextRunDate();
    const contract = await buildContract(api, { percents: ['50', '50'] });
    const line1 = await buildLine(api, contract.id, { invoiceSchedule: [{ runDate }] });
    const line2 = await buildLine(api, contract.id, {
      invoiceSchedule: [{ runDate, cutoffDate: runDate }],
    });
    const unscheduled = await buildLine(api, contract.id);
    const before = (d: number) =>
      new Date(Date.parse(`${runDate}T00:00:00Z`) - d * 86_400_000).toISOString().slice(0, 10);
    const [a1] = await readyActuals(api, line1.id, { date: before(1) });
    const [late1] = await readyActuals(api, line1.id, { date: runDate }); // after line 1's cut-off (the day before)
    const [a2] = await readyActuals(api, line2.id, { date: runDate }); // line 2's cut-off is the run date
    const [u] = await readyActuals(api, unscheduled.id, { date: before(3) });
    const res = await api.post('/invoice-runs', { runDate });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.runDate, runDate);
    assert.equal(res.body.dryRun, false);
    assert.equal(res.body.invoices.length, 2);
    const [first] = res.body.invoices;
    assert.equal(first.customerId, contract.customerIds[0]);
    assert.equal(first.invoiceDate, runDate);
    assert.deepEqual(
      first.lines.map((l: any) => l.contractLineId),
      [line1.id, line2.id],
    );
    assert.deepEqual(
      allDetails(first).map((d: any) => d.sourceId),
      [a1.id, a2.id],
    );
    assert.equal(await billingStatusOf(api, late1.id), 'ReadyToInvoice');
    assert.equal(await billingStatusOf(api, u.id), 'ReadyToInvoice');
  });

  it('R66: a run with an Idempotency-Key answers its drafts in full and replays them, streamed or not', async () => {
    // Without a key the answer is streamed slice by slice; with one it is stored whole.
    const runDate = nextRunDate();
    const contract = await buildContract(api, { percents: ['50', '50'] });
    const line = await buildLine(api, contract.id, {
      invoiceSchedule: [{ runDate, cutoffDate: runDate }],
    });
    await readyActuals(api, line.id, { date: runDate });
    const key = { 'idempotency-key': `run-${TARGET}-${runDate}-${Date.now()}` };
    const body = { runDate, contractIds: [contract.id] };
    const first = await api.post('/invoice-runs', body, key);
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.invoices.length, 2);
    assert.match(String(first.headers['content-type']), /^application\/json/);
    const again = await api.post('/invoice-runs', body, key);
    assert.equal(again.status, 201);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.deepEqual(again.body, first.body);
    const listed = await api.get(`/invoices?contractId=${contract.id}`);
    assert.equal(listed.body.items.length, 2, 'the replay drafted nothing again');
    assert.deepEqual(
      listed.body.items.map((i: any) => i.id).sort(),
      first.body.invoices.map((i: any) => i.id).sort(),
    );
  });

  it('R66: a run of more than a hundred drafts answers every one of them, in order', async () => {
    // The answer is written a hundred invoices at a time (issue 18): cross that edge.
    const runDate = nextRunDate();
    const many = await buildContract(api, { percents: Array.from({ length: 100 }, () => '1') });
    const one = await buildContract(api);
    for (const c of [many, one]) {
      const line = await buildLine(api, c.id, {
        invoiceSchedule: [{ runDate, cutoffDate: runDate }],
      });
      await readyActuals(api, line.id, { date: runDate });
    }
    const res = await api.post('/invoice-runs', { runDate, contractIds: [one.id, many.id] });
    assert.equal(res.status, 201, JSON.stringify(res.body).slice(0, 500));
    assert.equal(res.body.invoices.length, 101);
    const ids = res.body.invoices.map((i: any) => i.id);
    assert.equal(new Set(ids).size, 101);
    // Contracts in id order (R66), one draft per customer.
    assert.deepEqual(
      [...new Set(res.body.invoices.map((i: any) => i.contractId))],
      [many.id, one.id].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)),
    );
    assert.deepEqual(
      res.body.invoices
        .filter((i: any) => i.contractId === many.id)
        .map((i: any) => i.customerId)
        .sort(),
      [...many.customerIds].sort(),
    );
  });

  it('R66: re-running the same date creates nothing twice and answers only new invoices', async () => {
    const runDate = nextRunDate();
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id, {
      invoiceSchedule: [{ runDate, cutoffDate: runDate }],
    });
    await readyActuals(api, line.id, { date: runDate });
    const first = await api.post('/invoice-runs', { runDate });
    assert.equal(first.body.invoices.length, 1);
    const again = await api.post('/invoice-runs', { runDate });
    assert.equal(again.status, 201);
    assert.deepEqual(again.body.invoices, []);
    const [late] = await readyActuals(api, line.id, { date: runDate });
    const third = await api.post('/invoice-runs', { runDate, contractIds: [contract.id] });
    assert.deepEqual(
      third.body.invoices.map((i: any) => allDetails(i).map((d: any) => d.sourceId)),
      [[late.id]],
    );
    const runs = await api.database.db
      .selectFrom('invoice_runs')
      .selectAll()
      .where('contract_id', '=', contract.id)
      .execute();
    assert.equal(runs.length, 1);
    assert.equal(runs[0]!.runs, 3);
  });

  it('R66: a dry run answers the same invoices and writes nothing', async () => {
    const runDate = nextRunDate();
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id, {
      invoiceSchedule: [{ runDate, cutoffDate: runDate }],
    });
    const [a] = await readyActuals(api, line.id, { date: runDate });
    const dry = await api.post('/invoice-runs', { runDate, dryRun: true });
    assert.equal(dry.status, 200);
    assert.equal(dry.body.dryRun, true);
    assert.equal(dry.body.invoices.length, 1);
    // R66: what a dry run answers was never written: no invoice or detail ids, no number.
    const [would] = dry.body.invoices;
    assert.deepEqual([would.id, would.number], [null, null]);
    assert.ok(would.lines.every((l: any) => l.details.every((d: any) => d.id === null)));
    assert.equal(await billingStatusOf(api, a.id), 'ReadyToInvoice');
    assert.deepEqual((await api.get(`/invoices?contractId=${contract.id}`)).body.items, []);
    const real = await api.post('/invoice-runs', { runDate });
    const strip = (i: any) => ({
      ...i,
      id: undefined,
      createdAt: undefined,
      lines: i.lines.map((l: any) => ({
        ...l,
        details: l.details.map((d: any) => ({ ...d, id: undefined })),
      })),
    });
    assert.deepEqual(real.body.invoices.map(strip), dry.body.invoices.map(strip));
  });

  it('R66: concurrent runs over the same contracts never create an invoice twice', async () => {
    const runDate = nextRunDate();
    const contract = await buildContract(api, { percents: ['50', '50'] });
    const line = await buildLine(api, contract.id, {
      invoiceSchedule: [{ runDate, cutoffDate: runDate }],
    });
    for (let i = 0; i < 3; i++) await readyActuals(api, line.id, { date: runDate });
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        api.post('/invoice-runs', { runDate, contractIds: [contract.id] }),
      ),
    );
    assert.ok(
      answers.every((r) => r.status === 201),
      JSON.stringify(answers.map((r) => r.body)),
    );
    assert.equal(answers.flatMap((r) => r.body.invoices).length, 2);
    const details = (await api.get(`/invoices?contractId=${contract.id}`)).body.items.flatMap(
      allDetails,
    );
    assert.equal(details.length, 6);
  });

  it('R66: bad input is refused with VALIDATION_FAILED and runs nothing', async () => {
    const runDate = nextRunDate();
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id, {
      invoiceSchedule: [{ runDate, cutoffDate: runDate }],
    });
    const [a] = await readyActuals(api, line.id, { date: runDate });
    for (const [body, status] of [
      [{}, 400],
      [{ runDate: '2027-13-01' }, 400],
      [{ runDate, dryRun: 'yes' }, 400],
      [{ runDate, contractIds: [] }, 400],
      [{ runDate, contractIds: [contract.id, '999999999'] }, 422],
    ] as const) {
      const res = await api.post('/invoice-runs', body);
      assert.equal(res.status, status, JSON.stringify(body));
      assert.equal(res.body.code, 'VALIDATION_FAILED');
    }
    assert.equal(await billingStatusOf(api, a.id), 'ReadyToInvoice');
    const runs = await api.database.db
      .selectFrom('invoice_runs')
      .selectAll()
      .where('contract_id', '=', contract.id)
      .execute();
    assert.deepEqual(runs, []);
  });

  it("R66, R75, R77, R52: a run over several contracts gives each draft its own customer's terms, its items' work detail and its customer's retainers", async () => {
    const runDate = nextRunDate();
    const two = await buildContract(api, { percents: ['50', '50'] });
    const one = await buildContract(api);
    const [first, second] = two.customerIds as [string, string];
    const [third] = one.customerIds as [string];
    // Each customer its own terms (R75): the seller's and the contract's defaults aside.
    const terms = [
      { id: first, paymentTermsDays: 10, buyerReference: 'FIRST-REF' },
      { id: second, paymentTermsDays: 20, buyerReference: 'SECOND-REF' },
      { id: third, paymentTermsDays: 40, buyerReference: 'THIRD-REF' },
    ];
    for (const { id, ...profile } of terms) {
      assert.equal((await api.patch(`/customers/${id}`, profile)).status, 200);
    }
    const before = new Date(Date.parse(`${runDate}T00:00:00Z`) - 86_400_000)
      .toISOString()
      .slice(0, 10);
    const work = async (contractId: string, resource: string) => {
      const line = await buildLine(api, contractId, {
        invoiceSchedule: [{ runDate, cutoffDate: runDate }],
      });
      const entry = await api.post('/entries', {
        contractLineId: line.id,
        transactionClass: 'Time',
        date: before,
        quantity: '2',
        unitPrice: '100',
        resource,
        role: `${resource} role`,
        category: `${resource} category`,
        description: `${resource} work`,
      });
      assert.equal(entry.status, 201, JSON.stringify(entry.body));
      const approved = await api.post(`/entries/${entry.body.id}/approve`, {});
      await markReady(api, 'time-and-material', approved.body.actuals);
    };
    await work(two.id, 'Ada');
    await work(one.id, 'Grace');
    // A milestone (its name, R77) on the one-customer contract.
    const fixed = await buildFixedPriceLine(api, one.id);
    await buildMilestone(api, fixed.id, {
      name: 'Design sign-off',
      date: before,
      amount: '300.00',
      ready: true,
    });
    // A posted retainer of the second customer of `two` only (R52): only its draft draws.
    const retainer = await buildRetainer(api, two.id, second, {
      amount: '50.00',
      date: before,
      ready: true,
    });
    const retainerDraft = await api.post('/invoices', {
      contractId: two.id,
      invoiceDate: before,
      customerIds: [second],
      itemIds: [retainer.id],
    });
    assert.equal(retainerDraft.status, 201, JSON.stringify(retainerDraft.body));
    const posted = retainerDraft.body.invoices.find((i: any) =>
      allDetails(i).some((d: any) => d.sourceType === 'Retainer'),
    );
    assert.ok(posted, JSON.stringify(retainerDraft.body));
    assert.equal((await api.post(`/invoices/${posted.id}/confirm`)).status, 200);

    const res = await api.post('/invoice-runs', { runDate, contractIds: [one.id, two.id] });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const byCustomer = new Map(res.body.invoices.map((i: any) => [i.customerId, i]));
    assert.equal(byCustomer.size, 3);
    for (const { id, paymentTermsDays, buyerReference } of terms) {
      const draft: any = byCustomer.get(id);
      assert.equal(draft.paymentTermsDays, paymentTermsDays, id);
      assert.equal(draft.buyerReference, buyerReference, id);
    }
    const detail = (customerId: string, sourceType: string) =>
      allDetails(byCustomer.get(customerId)).find((d: any) => d.sourceType === sourceType);
    for (const [customerId, who] of [
      [first, 'Ada'],
      [second, 'Ada'],
      [third, 'Grace'],
    ] as const) {
      const d = detail(customerId, 'Actual');
      assert.deepEqual(
        [d.resource, d.role, d.category, d.description],
        [who, `${who} role`, `${who} category`, `${who} work`],
      );
    }
    assert.equal(detail(third, 'MilestoneSplit').description, 'Design sign-off');
    const applied = (customerId: string) => (byCustomer.get(customerId) as any).appliedRetainers;
    assert.deepEqual(applied(first), []);
    assert.deepEqual(applied(third), []);
    assert.deepEqual(applied(second), [{ retainerId: retainer.id, amount: '50.00' }]);
  });
});
