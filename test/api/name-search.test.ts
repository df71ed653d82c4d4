import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { startApi, type TestApi } from '../support/api.js';
import {
  approvedActuals,
  buildContract,
  buildCustomer,
  buildDrafts,
  buildFixedPriceLine,
  buildLine,
  buildMilestone,
  buildRetainer,
  markReady,
  submitEntry,
} from '../support/factories.js';
import { TARGET } from '../support/database.js';

let api: TestApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.close();
});

const tag = `${process.pid}x${Date.now() % 100000}`;

async function contractNamed(name: string, customerId: string) {
  const res = await api.post('/contracts', {
    name,
    currency: 'EUR',
    customers: [{ customerId, billingSplitPercent: '100' }],
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

async function names(path: string): Promise<string[]> {
  const res = await api.get(path);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.items.map((i: any) => i.name).sort();
}

describe(`q: name search on contracts and customers [${TARGET}]`, () => {
  it('§5: q is a case-insensitive substring of the name, on both lists', async () => {
    const acme = await buildCustomer(api, `Acme Holdings ${tag}`);
    const globex = await buildCustomer(api, `GLOBEX acme-partner ${tag}`);
    await buildCustomer(api, `Initech ${tag}`);
    await contractNamed(`Website Relaunch ${tag}`, acme);
    await contractNamed(`Data Platform ${tag}`, globex);
    await contractNamed(`website audit ${tag}`, globex);
    assert.deepEqual(await names(`/customers?q=ACME&limit=500`), [
      `Acme Holdings ${tag}`,
      `GLOBEX acme-partner ${tag}`,
    ]);
    assert.deepEqual(await names(`/contracts?q=WebSite&limit=500`), [
      `Website Relaunch ${tag}`,
      `website audit ${tag}`,
    ]);
    assert.deepEqual(await names(`/contracts?q=site%20audit%20${tag}`), [`website audit ${tag}`]);
    assert.deepEqual(await names(`/contracts?q=WEBSITE&customerId=${globex}`), [
      `website audit ${tag}`,
    ]);
    assert.deepEqual(await names(`/customers?q=nobody-has-this-name`), []);
  });

  it('§5: %, _ and \\ in q are literal characters, not patterns', async () => {
    const c = await buildCustomer(api, `Under_score 100% ${tag}`);
    await buildCustomer(api, `UnderXscore 1000 ${tag}`);
    await contractNamed(`Back\\slash ${tag}`, c);
    assert.deepEqual(await names(`/customers?q=${encodeURIComponent('r_s')}`), [
      `Under_score 100% ${tag}`,
    ]);
    assert.deepEqual(await names(`/customers?q=${encodeURIComponent('100%')}`), [
      `Under_score 100% ${tag}`,
    ]);
    assert.deepEqual(await names(`/contracts?q=${encodeURIComponent('k\\s')}`), [
      `Back\\slash ${tag}`,
    ]);
  });

  it('§5: q pages with the cursor like any list, and an empty q lists everything', async () => {
    const owner = await buildCustomer(api, `Pager ${tag}`);
    for (let i = 0; i < 5; i++) await contractNamed(`Paged contract ${i} ${tag}`, owner);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await api.get(
        `/contracts?q=paged%20CONTRACT&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      assert.equal(res.status, 200);
      assert.ok(res.body.items.length <= 2);
      seen.push(...res.body.items.map((c: any) => c.name));
      cursor = res.body.nextCursor;
    } while (cursor);
    assert.deepEqual(
      seen.sort(),
      [0, 1, 2, 3, 4].map((i) => `Paged contract ${i} ${tag}`),
    );
    const all = await api.get('/customers?q=&limit=500');
    const unfiltered = await api.get('/customers?limit=500');
    assert.deepEqual(all.body, unfiltered.body);
  });

  it('§5: a q longer than 200 characters is 400 VALIDATION_FAILED naming q', async () => {
    for (const path of ['/contracts', '/customers']) {
      const res = await api.get(`${path}?q=${'x'.repeat(201)}`);
      assert.equal(res.status, 400);
      assert.equal(res.body.code, 'VALIDATION_FAILED');
      assert.ok(
        res.body.errors.some((e: any) => e.field.includes('q')),
        JSON.stringify(res.body),
      );
    }
  });

  it('runDate lists only the contracts with a line scheduled to run that day (R66 explanations)', async () => {
    const customer = await buildCustomer(api, `Scheduled party ${tag}`);
    const monthEnd = await contractNamed(`Month end ${tag}`, customer);
    const midMonth = await contractNamed(`Mid month ${tag}`, customer);
    await contractNamed(`Unscheduled ${tag}`, customer);
    await buildLine(api, monthEnd.id, { invoiceSchedule: [{ runDate: '2031-01-31' }] });
    await buildLine(api, midMonth.id, {
      invoiceSchedule: [{ runDate: '2031-01-15' }, { runDate: '2031-02-15' }],
    });
    assert.deepEqual(await names(`/contracts?q=${tag}&runDate=2031-01-31`), [`Month end ${tag}`]);
    assert.deepEqual(await names(`/contracts?q=${tag}&runDate=2031-02-15`), [`Mid month ${tag}`]);
    assert.deepEqual(await names(`/contracts?q=${tag}&runDate=2031-03-31`), []);
    const bad = await api.get('/contracts?runDate=2031-02-30');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'VALIDATION_FAILED');
    assert.ok(
      bad.body.errors.some((e: any) => e.field.includes('runDate')),
      JSON.stringify(bad.body),
    );
  });

  it('the trigram index serves a substring search (when a scan is not cheaper)', async () => {
    // A table this small is cheaper to scan; with scans priced out the planner must still
    // find an index that answers ILIKE '%…%' (a B-tree cannot).
    for (const [table, index] of [
      ['contracts', 'contracts_name_trigrams'],
      ['customers', 'customers_name_trigrams'],
    ] as const) {
      const plan = await api.database.db.connection().execute(async (conn) => {
        await sql`SET enable_seqscan = off`.execute(conn);
        try {
          return await sql<{
            'QUERY PLAN': string;
          }>`EXPLAIN SELECT id FROM ${sql.table(table)} WHERE name ILIKE '%website%'`.execute(conn);
        } finally {
          await sql`RESET enable_seqscan`.execute(conn);
        }
      });
      const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
      assert.match(text, new RegExp(index), text);
    }
  });
});

describe(`names on rows, so no client loads every customer and contract [${TARGET}]`, () => {
  it('T&M, milestone and retainer rows, invoices and contracts carry contractName, customerName (and line names)', async () => {
    const contract = await buildContract(api, { percents: ['60', '40'] });
    const contractName = contract.body.name;
    const customerNames = new Map<string, string>();
    for (const id of contract.customerIds) {
      customerNames.set(id, (await api.get(`/customers/${id}`)).body.name);
    }
    const line = await buildLine(api, contract.id);
    const actuals = await approvedActuals(api, line.id);
    const tm = await api.get(`/backlog/time-and-material?contractId=${contract.id}`);
    assert.equal(tm.body.items.length, actuals.length);
    for (const row of tm.body.items) {
      assert.equal(row.contractName, contractName);
      assert.equal(row.contractLineName, line.name);
      assert.equal(row.customerName, customerNames.get(row.customerId));
    }
    const fp = await buildFixedPriceLine(api, contract.id);
    await buildMilestone(api, fp.id);
    const ms = await api.get(`/backlog/fixed-price-milestones?contractId=${contract.id}`);
    assert.ok(ms.body.items.length > 0);
    for (const row of ms.body.items) {
      assert.equal(row.contractName, contractName);
      assert.equal(row.contractLineName, fp.name);
      assert.equal(row.customerName, customerNames.get(row.customerId));
    }
    const customerId = contract.customerIds[0] as string;
    await buildRetainer(api, contract.id, customerId);
    const rt = await api.get(`/backlog/retainers-and-advances?contractId=${contract.id}`);
    assert.equal(rt.body.items[0].contractName, contractName);
    assert.equal(rt.body.items[0].customerName, customerNames.get(customerId));

    await markReady(api, 'time-and-material', tm.body.items);
    const drafts = await buildDrafts(api, contract.id);
    assert.ok(drafts.length > 0);
    for (const invoice of drafts) {
      assert.equal(invoice.contractName, contractName);
      assert.equal(invoice.customerName, customerNames.get(invoice.customerId));
      assert.equal(invoice.lines[0].contractLineName, line.name);
    }
    const listed = await api.get(`/invoices?contractId=${contract.id}`);
    assert.equal(listed.body.items[0].contractName, contractName);
    const one = await api.get(`/invoices/${drafts[0].id}`);
    assert.equal(one.body.customerName, customerNames.get(one.body.customerId));

    const shown = await api.get(`/contracts/${contract.id}`);
    for (const party of shown.body.customers) {
      assert.equal(party.customerName, customerNames.get(party.customerId));
    }
    for (const party of shown.body.lines[0].customers) {
      assert.equal(party.customerName, customerNames.get(party.customerId));
    }
    const list = await api.get(`/contracts?customerId=${customerId}`);
    assert.equal(list.body.items[0].customers[0].customerName, customerNames.get(customerId));
  });

  it("the approver's queue: listed entries carry contractName, contractLineName and currency", async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const entryId = await submitEntry(api, line.id);
    const queue = await api.get(`/entries?contractId=${contract.id}&status=Submitted`);
    assert.equal(queue.status, 200, JSON.stringify(queue.body));
    assert.deepEqual(
      queue.body.items.map((e: any) => [e.id, e.contractName, e.contractLineName, e.currency]),
      [[entryId, contract.body.name, line.name, contract.body.currency]],
    );
  });
});
