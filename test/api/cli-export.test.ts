/**
 * `billing-backlog export` of the backlog views, run as a real process against the test
 * target's database, checked against what the API answers for the same filter: the same
 * rows in the same order across several pages, and totals that the exported rows add up to.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { exportViews } from '../../src/cli/export-views.js';
import { apiOver, type TestApi } from '../support/api.js';
import { openCliTarget, runCli, type CliTarget } from '../support/cli.js';
import { TARGET } from '../support/database.js';
import { approvedActuals, buildContract, buildLine } from '../support/factories.js';
import { confirm, createInvoices, readyActuals } from '../support/invoicing.js';

interface Case {
  view: string;
  /** The API path under /api/v1. */
  path: string;
  /** The same filter as API query parameters and as CLI options. */
  query: [string, string][];
}

interface Expected {
  items: any[];
  totals: any;
  pages: number;
}

let target: CliTarget;
/** The query parameters the API documents for each GET path. */
const apiParams = new Map<string, string[]>();
const expected = new Map<Case, Expected>();
let cases: Case[] = [];

const cliArgs = (c: Case) =>
  c.query.flatMap(([k, v]) => [`--${k.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`)}`, v]);

/** Every page of the API's answer, read two rows at a time. */
async function readAll(api: TestApi, c: Case): Promise<Expected> {
  const items: any[] = [];
  let cursor: string | null = null;
  let totals: any;
  let pages = 0;
  do {
    const page: [string, string][] = [
      ['limit', '2'],
      ...(cursor ? [['cursor', cursor] as [string, string]] : []),
    ];
    const params = new URLSearchParams([...c.query, ...page]);
    const res: any = await api.get(`${c.path}?${params}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    items.push(...res.body.items);
    totals ??= res.body.totals;
    cursor = res.body.nextCursor;
    pages++;
  } while (cursor);
  return { items, totals, pages };
}

/** Exact decimal text → [units, scale]; sums never touch floating point. */
function units(text: string): [bigint, number] {
  const [int = '', frac = ''] = text.split('.');
  return [BigInt(`${int}${frac}`), frac.length];
}

function format(value: bigint, scale: number): string {
  if (scale === 0) return value.toString();
  const sign = value < 0n ? '-' : '';
  const digits = (value < 0n ? -value : value).toString().padStart(scale + 1, '0');
  return `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** Count and sum of `amount` per currency, in the shape of the API's `totals.byCurrency`. */
function totalsOf(rows: any[]): { currency: string; count: number; amount: string }[] {
  const by = new Map<string, { count: number; sum: bigint; scale: number }>();
  for (const row of rows) {
    const [value, scale] = units(row.amount);
    const t = by.get(row.currency) ?? { count: 0, sum: 0n, scale };
    assert.equal(scale, t.scale, `one scale per currency (${row.currency})`);
    by.set(row.currency, { count: t.count + 1, sum: t.sum + value, scale });
  }
  return [...by.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([currency, t]) => ({ currency, count: t.count, amount: format(t.sum, t.scale) }));
}

before(async () => {
  target = await openCliTarget();
  await target.use(async (database) => {
    const api = await apiOver(database);
    try {
      // T&M: a USD contract split 60/40 (two rows per entry) and a EUR one, so the whole
      // view spans two currencies; some rows ready, two on a draft invoice.
      const usd = await buildContract(api, { percents: ['60', '40'] });
      const usdLine = await buildLine(api, usd.id);
      const onInvoice = await readyActuals(api, usdLine.id, {
        date: '2026-03-02',
        quantity: '8',
        unitPrice: '200.00',
      });
      await readyActuals(api, usdLine.id, {
        date: '2026-03-03',
        transactionClass: 'Expense',
        quantity: '1',
        unitPrice: '55.55',
      });
      await approvedActuals(api, usdLine.id, {
        date: '2026-03-04',
        quantity: '7.5',
        unitPrice: '180.00',
      });
      await approvedActuals(api, usdLine.id, {
        date: '2026-03-05',
        quantity: '1.25',
        unitPrice: '99.99',
      });
      await createInvoices(api, {
        contractId: usd.id,
        itemIds: onInvoice.map((a) => a.id),
        invoiceDate: '2026-03-31',
      });
      const eur = await buildContract(api, { currency: 'EUR' });
      const eurLine = await buildLine(api, eur.id);
      await approvedActuals(api, eurLine.id, {
        date: '2026-03-02',
        quantity: '3',
        unitPrice: '120.10',
      });
      await approvedActuals(api, eurLine.id, {
        date: '2026-03-09',
        quantity: '2',
        unitPrice: '120.10',
      });

      // Fixed price: three milestones on the split contract, two splits each; one ready.
      const fixed = await buildLine(api, usd.id, {
        billingMethod: 'FixedPrice',
        contractedAmount: '1000.00',
      });
      const milestones = [];
      for (const [name, date, amount] of [
        ['Design', '2026-02-27', '100.00'],
        ['Build', '2026-03-31', '250.50'],
        ['Launch', '2026-04-30', '333.33'],
      ] as const) {
        const res = await api.post(`/contract-lines/${fixed.id}/milestones`, {
          name,
          date,
          amount,
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        milestones.push(res.body);
      }
      const ready = await api.post('/backlog/fixed-price-milestones/mark-ready', {
        ids: milestones[1].splits.map((s: any) => s.id),
      });
      assert.ok(
        ready.body.results.every((r: any) => r.ok),
        JSON.stringify(ready.body),
      );

      // Retainers: three scheduled on the split contract; two advances invoiced and posted
      // on a contract of their own, so they are available.
      const scheduled = await api.post(`/contracts/${usd.id}/retainers/schedule`, {
        customerId: usd.customerIds[1],
        kind: 'Retainer',
        total: '900.00',
        frequency: 'monthly',
        startDate: '2026-01-01',
        count: 3,
      });
      assert.equal(scheduled.status, 201, JSON.stringify(scheduled.body));
      const advances = await buildContract(api);
      const advanceIds = [];
      for (const [amount, date] of [
        ['1000.00', '2026-01-05'],
        ['250.25', '2026-01-06'],
      ]) {
        const res = await api.post(`/contracts/${advances.id}/retainers`, {
          customerId: advances.customerIds[0],
          kind: 'Advance',
          amount,
          date,
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        advanceIds.push(res.body.id);
      }
      await api.post('/backlog/retainers-and-advances/mark-ready', { ids: advanceIds });
      const [invoice] = await createInvoices(api, {
        contractId: advances.id,
        invoiceDate: '2026-01-31',
      });
      await confirm(api, invoice.id);

      cases = [
        { view: 'tm-backlog', path: '/backlog/time-and-material', query: [] },
        {
          view: 'tm-backlog',
          path: '/backlog/time-and-material',
          query: [
            ['contractId', usd.id],
            ['billingStatus', 'ReadyToInvoice'],
            ['billingStatus', 'CustomerInvoiceCreated'],
            ['sort', '-amount'],
          ],
        },
        { view: 'milestones', path: '/backlog/fixed-price-milestones', query: [] },
        {
          view: 'milestones',
          path: '/backlog/fixed-price-milestones',
          query: [
            ['customerId', usd.customerIds[0] as string],
            ['dateFrom', '2026-03-01'],
            ['sort', '-date'],
          ],
        },
        { view: 'retainers', path: '/backlog/retainers-and-advances', query: [] },
        {
          view: 'retainers',
          path: '/backlog/retainers-and-advances',
          query: [['kind', 'Retainer']],
        },
        {
          view: 'available-retainers',
          path: '/backlog/available-retainers-and-advances',
          query: [],
        },
        {
          view: 'available-retainers',
          path: '/backlog/available-retainers-and-advances',
          query: [
            ['customerId', advances.customerIds[0] as string],
            ['dateTo', '2026-01-05'],
          ],
        },
      ];
      for (const c of cases) expected.set(c, await readAll(api, c));
      const doc = (await api.get('/openapi.json')).body;
      for (const [path, item] of Object.entries<any>(doc.paths)) {
        const params = (item.get?.parameters ?? [])
          .filter((p: any) => p.in === 'query')
          .map((p: any) => p.name);
        apiParams.set(path.replace(/^\/api\/v1/, ''), params.sort());
      }
    } finally {
      // The database belongs to the target; only the app is closed here.
      await api.app.close();
    }
  });
});
after(async () => {
  await target.close();
});

describe(`CLI export of the backlog views [${TARGET}]`, () => {
  it("each view's options are exactly its API list's query parameters, less limit and cursor", () => {
    for (const c of cases) {
      const filters = Object.keys(exportViews[c.view]?.filters.shape ?? {});
      assert.deepEqual([...filters, 'cursor', 'limit'].sort(), apiParams.get(c.path), c.view);
    }
  });

  it('the data covers more than one page of every view, and the filters narrow it', () => {
    const counts = cases.map((c) => [c.view, c.query.length > 0, expected.get(c)?.items.length]);
    assert.deepEqual(counts, [
      ['tm-backlog', false, 10],
      ['tm-backlog', true, 4],
      ['milestones', false, 6],
      ['milestones', true, 2],
      ['retainers', false, 5],
      ['retainers', true, 3],
      ['available-retainers', false, 2],
      ['available-retainers', true, 1],
    ]);
    for (const c of cases) {
      const e = expected.get(c) as Expected;
      if (e.items.length > 2) assert.ok(e.pages > 1, `${c.view} spans pages`);
      // Every field the API shows has its CSV column.
      for (const row of e.items) {
        for (const key of Object.keys(row))
          assert.ok(exportViews[c.view]?.columns.includes(key), `${c.view}: ${key}`);
      }
    }
  });

  it('JSON: the same rows in the same order as the API, read one page of 2 at a time, adding up to its totals', async () => {
    for (const c of cases) {
      const e = expected.get(c) as Expected;
      const res = await runCli([
        'export',
        c.view,
        '--format',
        'json',
        '--page-size',
        '2',
        ...cliArgs(c),
        ...target.args,
      ]);
      assert.equal(res.code, 0, res.stderr);
      const rows = JSON.parse(res.stdout);
      const what = `${c.view} ${JSON.stringify(c.query)}`;
      assert.deepEqual(rows, e.items, what);
      // Spec §5 totals of the whole filter: the export's rows add up to them exactly.
      const byCurrency = totalsOf(rows);
      assert.deepEqual(
        byCurrency,
        e.totals.byCurrency.map((t: any) => ({
          currency: t.currency,
          count: t.count,
          amount: t.amount,
        })),
        what,
      );
      assert.equal(rows.length, e.totals.count, what);
      if (byCurrency.length === 1) assert.equal(byCurrency[0]?.amount, e.totals.amount, what);
    }
  });

  it("CSV: the header is the view's columns and each line is the API row, money as exact decimal text", async () => {
    for (const c of cases.filter((x) => x.query.length === 0)) {
      const e = expected.get(c) as Expected;
      const res = await runCli(['export', c.view, '--page-size', '3', ...target.args]);
      assert.equal(res.code, 0, res.stderr);
      const [header, ...lines] = parse(res.stdout) as string[][];
      const columns = exportViews[c.view]?.columns ?? [];
      assert.deepEqual(header, columns);
      assert.deepEqual(
        lines,
        e.items.map((row) =>
          columns.map((col) =>
            row[col] === undefined || row[col] === null ? '' : String(row[col]),
          ),
        ),
        c.view,
      );
    }
    // The T&M rows across two currencies: 1600.00 × 60/40 and EUR cents kept exactly.
    const tm = expected.get(cases[0] as Case) as Expected;
    assert.deepEqual(tm.totals.amount, null);
    assert.ok(
      tm.items.some((r) => r.amount === '960.00' && r.invoiceId),
      'a row on the draft names its invoice',
    );
    assert.ok(tm.items.some((r) => r.currency === 'EUR' && r.amount === '360.30'));
  });

  it('a bad filter value is refused before the database is opened, naming the option, with exit code 2', async () => {
    for (const [args, message] of [
      [
        ['tm-backlog', '--billing-status', 'Paid'],
        /--billing-status: .*expected one of "UnbilledSalesCreated"/,
      ],
      [
        ['tm-backlog', '--billing-status', 'ReadyToInvoice', '--billing-status', 'Paid'],
        /--billing-status: .*expected one of/,
      ],
      [
        ['tm-backlog', '--date-from', '2026-03-02', '--date-to', '2026-03-01'],
        /--date-to: must not be before dateFrom/,
      ],
      [['milestones', '--date-to', '2026-02-30'], /--date-to: must be a real calendar date/],
      [
        ['milestones', '--sort', 'name'],
        /--sort: .*expected one of "date"\|"-date"\|"amount"\|"-amount"/,
      ],
      [['retainers', '--kind', 'Loan'], /--kind: .*expected one of "Retainer"\|"Advance"/],
      [
        ['available-retainers', '--date-from', 'yesterday'],
        /--date-from: must be a date as YYYY-MM-DD/,
      ],
    ] as const) {
      const res = await runCli(['export', ...args, ...target.args]);
      assert.equal(res.code, 2, `${args.join(' ')}: ${res.stderr}`);
      assert.match(res.stderr, /invalid filter/);
      assert.match(res.stderr, message);
      assert.equal(res.stdout, '', 'nothing exported');
    }
    const unknown = await runCli(['export', 'tm-backlog', '--kind', 'Advance', ...target.args]);
    assert.equal(unknown.code, 2, 'an option of another view is unknown here');
    assert.match(unknown.stderr, /unknown option '--kind'/);
    const page = await runCli(['export', 'retainers', '--page-size', '501', ...target.args]);
    assert.equal(page.code, 2);
    assert.match(page.stderr, /must be at most 500/);
  });
});
