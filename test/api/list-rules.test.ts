/**
 * Spec §5 "Lists", on every list of the API and every view the CLI exports. The lists are
 * found in the OpenAPI document (every GET with a `cursor`), so a list added later is walked
 * too; the rules hold by construction (src/views/lists.ts, src/views/totals.ts), and these
 * tests show that they do.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { exportFilters, EXPORT_PAGE } from '../../src/cli/export.js';
import { exportViews } from '../../src/cli/export-views.js';
import { CliError } from '../../src/cli/exit.js';
import { startApi, type TestApi } from '../support/api.js';
import { TARGET } from '../support/database.js';
import { approvedActuals, buildContract, buildLine } from '../support/factories.js';
import { createInvoices, readyActuals } from '../support/invoicing.js';

let api: TestApi;
/** Path → the query parameters the API documents for that list. */
const lists = new Map<string, string[]>();
/** The backlog views: the lists that answer `totals`. */
const BACKLOG_VIEWS = [
  '/backlog/available-retainers-and-advances',
  '/backlog/fixed-price-milestones',
  '/backlog/retainers-and-advances',
  '/backlog/time-and-material',
];
/** Ids that name no record, in every form a client might send one. */
const NAMES_NOTHING = [
  'abc',
  '99999999999999999999',
  '9223372036854775808',
  '999999999999',
  '0',
  '-1',
  '1.5',
  '1e3',
  '',
  ' 1',
  'ä',
  "1' OR 1=1 --",
];

before(async () => {
  api = await startApi();
  // Something on every list, so an empty answer is the filter's doing.
  const contract = await buildContract(api, { percents: ['60', '40'] });
  const tm = await buildLine(api, contract.id);
  await approvedActuals(api, tm.id);
  await readyActuals(api, tm.id);
  await createInvoices(api, { contractId: contract.id });
  const fixed = await buildLine(api, contract.id, {
    billingMethod: 'FixedPrice',
    contractedAmount: '1000.00',
  });
  const milestone = await api.post(`/contract-lines/${fixed.id}/milestones`, {
    name: 'Design',
    date: '2026-03-31',
    amount: '1000.00',
  });
  assert.equal(milestone.status, 201, JSON.stringify(milestone.body));
  const retainer = await api.post(`/contracts/${contract.id}/retainers`, {
    customerId: contract.customerIds[0],
    kind: 'Advance',
    amount: '500.00',
    date: '2026-03-01',
  });
  assert.equal(retainer.status, 201, JSON.stringify(retainer.body));

  const doc = (await api.get('/openapi.json')).body;
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    const params: string[] = (item.get?.parameters ?? [])
      .filter((p: any) => p.in === 'query')
      .map((p: any) => p.name);
    if (params.includes('cursor')) lists.set(path.replace(/^\/api\/v1/, ''), params);
  }
});
after(async () => {
  await api.close();
});

const idParams = (path: string) => (lists.get(path) ?? []).filter((p) => /Id$/.test(p));
const EMPTY_TOTALS = { count: 0, amount: '0', byCurrency: [] };

describe(`§5 lists [${TARGET}]`, () => {
  it('§5 lists: every backlog view is a list, and every list is walked below', () => {
    for (const view of BACKLOG_VIEWS) assert.ok(lists.has(view), view);
    assert.ok(lists.size >= 9, [...lists.keys()].join(', '));
  });

  it('§5 lists: an empty result answers totals {count: 0, amount: "0", byCurrency: []} in every view', async () => {
    for (const path of BACKLOG_VIEWS) {
      // Rows exist, but none before 1900: a well-formed filter that matches nothing.
      const res = await api.get(`${path}?dateTo=1900-01-01`);
      assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
      assert.deepEqual(res.body.items, [], path);
      assert.equal(res.body.nextCursor, null, path);
      const { availableAmount, ...totals } = res.body.totals;
      assert.deepEqual(totals, EMPTY_TOTALS, path);
      // The retainer views total what is available too, under the same rule.
      if (path.includes('retainers')) assert.equal(availableAmount, '0', path);
      else assert.equal(availableAmount, undefined, path);
    }
    // The views are not empty without the filter, so the empty answer above is the filter's.
    for (const path of BACKLOG_VIEWS.filter((p) => !p.includes('available'))) {
      assert.ok((await api.get(path)).body.totals.count > 0, path);
    }
  });

  it('§5 lists: on every list an id filter that names no record, whatever its form, gives an empty list', async () => {
    let walked = 0;
    for (const [path] of lists) {
      for (const param of idParams(path)) {
        for (const value of NAMES_NOTHING) {
          const url = `${path}?${param}=${encodeURIComponent(value)}`;
          const res = await api.get(url);
          assert.equal(res.status, 200, `${url}: ${JSON.stringify(res.body)}`);
          assert.deepEqual(res.body.items, [], url);
          assert.equal(res.body.nextCursor, null, url);
          if (BACKLOG_VIEWS.includes(path)) {
            const totals = { ...res.body.totals };
            delete totals.availableAmount;
            assert.deepEqual(totals, EMPTY_TOTALS, url);
          }
          walked++;
        }
      }
    }
    // Every backlog view and the ledger filter by contract at least.
    for (const path of [...BACKLOG_VIEWS, '/actuals', '/invoices']) {
      assert.ok(idParams(path).includes('contractId'), path);
    }
    assert.ok(walked > 0);
  });

  it('§5 lists: dateFrom after dateTo is 400 VALIDATION_FAILED on every list that has them', async () => {
    const dated = [...lists].filter(([, p]) => p.includes('dateFrom') && p.includes('dateTo'));
    assert.deepEqual(
      dated.map(([path]) => path).sort(),
      [...BACKLOG_VIEWS, '/actuals', '/entries'].sort(),
    );
    for (const [path] of dated) {
      const res = await api.get(`${path}?dateFrom=2026-03-02&dateTo=2026-03-01`);
      assert.equal(res.status, 400, `${path}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, 'VALIDATION_FAILED', path);
      assert.deepEqual(res.body.errors, [
        { field: 'dateTo', message: 'must not be before dateFrom' },
      ]);
      // One day is a range: both bounds are inclusive.
      const day = await api.get(`${path}?dateFrom=2026-03-02&dateTo=2026-03-02`);
      assert.equal(day.status, 200, `${path}: ${JSON.stringify(day.body)}`);
    }
  });

  it('§5 lists: every view the CLI exports follows the same rules (one read model)', async () => {
    const db = api.database.db;
    for (const [name, view] of Object.entries(exportViews)) {
      const filters = Object.keys(view.filters.shape);
      for (const key of filters.filter((k) => /Id$/.test(k))) {
        for (const value of NAMES_NOTHING) {
          const query = exportFilters(view, { [key]: value });
          const page = await view.list(db, { ...query, limit: EXPORT_PAGE });
          assert.deepEqual(page, { items: [], nextCursor: null }, `${name} ${key}=${value}`);
        }
      }
      if (filters.includes('dateFrom') && filters.includes('dateTo')) {
        assert.throws(
          () => exportFilters(view, { dateFrom: '2026-03-02', dateTo: '2026-03-01' }),
          (e: unknown) =>
            e instanceof CliError && /--date-to: must not be before dateFrom/.test(e.message),
          name,
        );
      }
    }
  });
});
