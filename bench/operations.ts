/**
 * The measured operations. Each one runs through the HTTP API and, in the same database and
 * the same run, as raw SQL doing the same work; both are sampled the same way.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/db/schema.js';
import {
  rawApprove,
  rawMarkReady,
  rawPage,
  rawSubmitEntries,
  rawTotals,
  type PageFilter,
} from './raw-sql.js';
import type { BenchServer } from './server.js';
import { sample, summarize, type Summary } from './stats.js';

export interface Measurement {
  operation: string;
  /** Filter, page depth, batch size… */
  detail: string;
  unit: 'ms' | 'actuals/s' | 'entries/s';
  api: Summary;
  raw?: Summary;
  /** The part of `raw` spent on the totals aggregate (backlog pages). */
  rawTotals?: Summary;
  /** API median / raw median (for rates: raw rate / API rate), > 1 means the API is slower. */
  ratio?: number;
  /**
   * Invoicing: the rows per table and status that the API and the raw SQL both left on
   * their own contracts (checked equal, see bench/invoicing.ts).
   */
  shape?: Record<string, string>;
  target?: string;
  met?: boolean;
  /** The operation failed: what the API answered. */
  error?: string;
}

export interface BenchContext {
  db: Kysely<DB>;
  api: BenchServer;
  runs: number;
  log: (message: string) => void;
}

interface BacklogAnswer {
  items: { id: string; date: string }[];
  nextCursor: string | null;
  totals: { count: number };
}

const PAGE_TARGET_MS = 10;
const PAGE_TARGET_RATIO = 3;
/** Deep pages start after this many rows (page 101 at 50 a page), reached by following cursors. */
const DEEP_ROWS = 5000;
const FOLLOW_LIMIT = 500;

const query = (f: PageFilter, extra: Record<string, string> = {}) =>
  new URLSearchParams(
    Object.entries({ ...f, ...extra }).filter(([, v]) => v !== undefined) as [string, string][],
  ).toString();

/** The keyset of an API cursor (`[sort, date, id]`, base64url JSON), for the raw query. */
function keyOf(cursor: string): { date: string; id: string } {
  const [, date, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as string[];
  return { date: date as string, id: id as string };
}

async function pickFilters(db: Kysely<DB>): Promise<{ name: string; filter: PageFilter }[]> {
  const contract = await sql<{ id: string }>`
    SELECT contract_id AS id FROM actuals GROUP BY contract_id ORDER BY count(*) DESC, contract_id LIMIT 1
  `.execute(db);
  const customer = await sql<{ id: string }>`
    SELECT customer_id AS id FROM actuals GROUP BY customer_id ORDER BY count(*) DESC, customer_id LIMIT 1
  `.execute(db);
  const line = await sql<{ id: string }>`
    SELECT contract_line_id AS id FROM actuals WHERE contract_line_id IS NOT NULL
    GROUP BY contract_line_id ORDER BY count(*) DESC, contract_line_id LIMIT 1
  `.execute(db);
  return [
    { name: 'none', filter: {} },
    { name: `contractLineId (largest line)`, filter: { contractLineId: line.rows[0]?.id } },
    { name: 'nteStatus=Committed', filter: { nteStatus: 'Committed' } },
    { name: 'transactionClass=Expense', filter: { transactionClass: 'Expense' } },
    { name: `contractId (largest contract)`, filter: { contractId: contract.rows[0]?.id } },
    { name: `customerId (largest customer)`, filter: { customerId: customer.rows[0]?.id } },
    { name: 'billingStatus=ReadyToInvoice', filter: { billingStatus: 'ReadyToInvoice' } },
    { name: 'date range (one month)', filter: { dateFrom: '2025-06-01', dateTo: '2025-06-30' } },
  ];
}

export async function measurePages(ctx: BenchContext): Promise<Measurement[]> {
  const out: Measurement[] = [];
  for (const { name, filter } of await pickFilters(ctx.db)) {
    // Follow cursors (up to 500 rows a request) to row 5,000, or to the last full page.
    const first = await ctx.api.request<BacklogAnswer>(
      'GET',
      `/backlog/time-and-material?${query(filter)}`,
    );
    const target = Math.floor(Math.min(DEEP_ROWS, Math.max(0, first.totals.count - 50)) / 50) * 50;
    let cursor: string | undefined;
    let rowsBefore = 0;
    while (rowsBefore < target) {
      const limit = String(Math.min(FOLLOW_LIMIT, target - rowsBefore));
      const page = await ctx.api.request<BacklogAnswer>(
        'GET',
        `/backlog/time-and-material?${query(filter, { limit, ...(cursor ? { cursor } : {}) })}`,
      );
      rowsBefore += page.items.length;
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    for (const at of cursor ? [undefined, cursor] : [undefined]) {
      const path = `/backlog/time-and-material?${query(filter, at ? { cursor: at } : {})}`;
      let apiRows = 0;
      const api = await sample(ctx.runs, {
        timed: async () => {
          apiRows = (await ctx.api.request<BacklogAnswer>('GET', path)).items.length;
        },
      });
      let rawRows = 0;
      const key = at ? keyOf(at) : undefined;
      const totalsOnly: number[] = [];
      const raw = await sample(ctx.runs, {
        timed: async () => {
          rawRows = Math.min(50, (await rawPage(ctx.db, filter, key)).length);
          const t = performance.now();
          await rawTotals(ctx.db, filter);
          totalsOnly.push(performance.now() - t);
        },
      });
      totalsOnly.shift(); // the warm-up round
      if (apiRows !== rawRows)
        throw new Error(`page ${name}: API gave ${apiRows} rows, raw SQL ${rawRows}`);
      const m = pageMeasurement(
        name,
        at ? `after row ${rowsBefore} (page ${rowsBefore / 50 + 1})` : 'first page',
        api,
        raw,
        totalsOnly,
      );
      ctx.log(
        `  page [${name}] ${m.detail}: API ${m.api.median.toFixed(1)} ms, raw ${m.raw?.median.toFixed(1)} ms`,
      );
      out.push(m);
    }
  }
  return out;
}

function pageMeasurement(
  filter: string,
  page: string,
  api: number[],
  raw: number[],
  totals: number[],
): Measurement {
  const a = summarize(api);
  const r = summarize(raw);
  const ratio = a.median / r.median;
  return {
    operation: 'T&M backlog page (50 rows + totals)',
    detail: `filter: ${filter}; ${page}`,
    unit: 'ms',
    api: a,
    raw: r,
    rawTotals: summarize(totals),
    ratio,
    target: `≤ ${PAGE_TARGET_MS} ms median and ≤ ${PAGE_TARGET_RATIO}× raw`,
    met: a.median <= PAGE_TARGET_MS && ratio <= PAGE_TARGET_RATIO,
  };
}

/**
 * Mark ready through the API and as raw SQL, each round on its own fresh ids (Created →
 * Ready), so no untimed reset is needed while the backlog has enough of them; otherwise the
 * same ids are put back to UnbilledSalesCreated between rounds, untimed.
 */
export async function measureMarkReady(ctx: BenchContext, count = 10_000): Promise<Measurement> {
  const rounds = 2 * ctx.runs;
  // Spread over the whole backlog, as a multi-select over a wide filter would be.
  const pool = (
    await sql<{ id: string }>`
      SELECT id FROM actuals
      WHERE billing_status = 'UnbilledSalesCreated' AND nte_status <> 'Failed'
      ORDER BY (id * 7919) % 1009, id LIMIT ${count * rounds}
    `.execute(ctx.db)
  ).rows.map((r) => r.id);
  const size = Math.min(count, pool.length);
  const fresh = pool.length >= size * rounds;
  let round = 0;
  const nextIds = () => (fresh ? pool.slice(size * round, size * ++round) : pool.slice(0, size));
  const after = async (ids: string[]) => {
    if (fresh) return;
    await sql`UPDATE actuals SET billing_status = 'UnbilledSalesCreated' WHERE id = ANY(${ids}::bigint[])`.execute(
      ctx.db,
    );
  };
  const api: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < ctx.runs; i++) {
    let ids = nextIds();
    let t = performance.now();
    const res = await ctx.api.request<{ results: { ok: boolean }[] }>(
      'POST',
      '/backlog/time-and-material/mark-ready',
      { ids },
    );
    api.push(performance.now() - t);
    if (res.results.some((r) => !r.ok)) throw new Error('mark-ready refused some ids');
    await after(ids);
    ids = nextIds();
    t = performance.now();
    const n = await rawMarkReady(ctx.db, ids);
    raw.push(performance.now() - t);
    if (n !== ids.length) throw new Error(`raw mark-ready changed ${n} of ${ids.length}`);
    await after(ids);
  }
  const a = summarize(api);
  const r = summarize(raw);
  ctx.log(`  mark-ready ${size}: API ${a.median.toFixed(0)} ms, raw ${r.median.toFixed(0)} ms`);
  return {
    operation: 'Bulk mark ready',
    detail: `${size.toLocaleString('en-US')} ids spread over the backlog, fresh ids each run`,
    unit: 'ms',
    api: a,
    raw: r,
    ratio: a.median / r.median,
    target: '≤ 1000 ms (10,000 ids)',
    met: size >= 10_000 ? a.median <= 1000 : undefined,
  };
}

/** Runs `work` over `items` with `width` requests in flight. */
async function inFlight<T>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

export async function measureApproval(
  ctx: BenchContext,
  entriesPerRun: number,
): Promise<Measurement[]> {
  const lineIds = (
    await sql<{
      id: string;
    }>`SELECT id FROM contract_lines WHERE billing_method = 'TimeAndMaterial' ORDER BY id LIMIT ${entriesPerRun}`.execute(
      ctx.db,
    )
  ).rows.map((r) => r.id);
  const actualsOf = async (entryIds: string[]) =>
    Number(
      (
        await sql<{
          n: string;
        }>`SELECT count(*) AS n FROM actuals WHERE entry_id = ANY(${entryIds}::bigint[])`.execute(
          ctx.db,
        )
      ).rows[0]?.n,
    );

  // Through the API: submit (timed on its own, 4 requests in flight), then one bulk approve.
  let entryIds: string[] = [];
  const submitMs: number[] = [];
  const rates: number[] = [];
  const submitRates: number[] = [];
  await sample(ctx.runs, {
    before: async () => {
      entryIds = [];
      const t = performance.now();
      await inFlight(lineIds, 4, async (lineId) => {
        const e = await ctx.api.request<{ id: string }>('POST', '/entries', {
          contractLineId: lineId,
          transactionClass: 'Time',
          date: '2026-01-15',
          quantity: '7.5',
          unitPrice: '150',
        });
        entryIds.push(e.id);
      });
      submitMs.push(performance.now() - t);
    },
    timed: async () => {
      const res = await ctx.api.request<{ results: { ok: boolean }[] }>(
        'POST',
        '/entries/approve',
        { ids: entryIds },
      );
      if (res.results.some((r) => !r.ok)) throw new Error('bulk approve refused some entries');
    },
  }).then(async (ms) => {
    // Rates per sample; the warm-up's submission is left out like its approval.
    submitMs.shift();
    const perRun = await actualsOf(entryIds);
    ms.forEach((m) => rates.push((perRun / m) * 1000));
    submitMs.forEach((m) => submitRates.push((lineIds.length / m) * 1000));
  });

  let rawIds: string[] = [];
  let created = 0;
  const rawMs = await sample(ctx.runs, {
    before: async () => {
      rawIds = await rawSubmitEntries(ctx.db, lineIds, '2026-01-16');
    },
    timed: async () => {
      created = await rawApprove(ctx.db, rawIds);
    },
  });
  const rawRates = rawMs.map((m) => (created / m) * 1000);
  const a = summarize(rates);
  const r = summarize(rawRates);
  ctx.log(`  approval: API ${a.median.toFixed(0)} actuals/s, raw ${r.median.toFixed(0)} actuals/s`);
  return [
    {
      operation: 'Approve entries (bulk POST /entries/approve)',
      detail: `${lineIds.length} entries a run on ${lineIds.length} lines (1–3 customers each)`,
      unit: 'actuals/s',
      api: a,
      raw: r,
      ratio: r.median / a.median,
      target: '≥ 10,000 actuals/s',
      met: a.median >= 10_000,
    },
    {
      operation: 'Submit entries (POST /entries, 4 in flight)',
      detail: `${lineIds.length} entries a run`,
      unit: 'entries/s',
      api: summarize(submitRates),
    },
  ];
}
