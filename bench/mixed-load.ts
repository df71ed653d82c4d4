/**
 * Mixed load (issue 18): `clients` concurrent clients work for `seconds` (backlog pages with
 * varied filters, mark ready, approvals, draft edits) while an invoice run over
 * `runContracts` contracts executes; the same run over as many other contracts, prepared
 * the same way, is first timed alone. The run is a job (R95: `POST /invoice-runs/jobs`,
 * worked by the server's in-process worker), timed from the request to the job's end as
 * `GET /invoice-runs/jobs/{id}` reports it (polled every 100 ms). Reports throughput, p50
 * and p99 per operation, errors, deadlocks (PostgreSQL's own counter) and the run's time
 * against alone.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/db/schema.js';
import type { BenchContext, Measurement } from './operations.js';
import { describeLoad, sampleLoad } from './load-sampler.js';
import { summarize } from './stats.js';

const RUN_DATE = '2027-02-28';
const PAGE_P99_MS = 100;
const RUN_FACTOR = 1.5;

export interface MixedLoadOptions {
  clients: number;
  seconds: number;
  /**
   * Mean pause of a client between two actions, in ms (each pause drawn from 0.5–1.5× the
   * mean, so clients do not move in step). 0: every client sends its next request the moment
   * the last one answers, which saturates the machine whatever its size.
   */
  thinkMs: number;
  runContracts: number;
  kind: 'embedded' | 'postgres';
}

type Operation = 'page' | 'mark ready' | 'approval' | 'draft edit';

interface Pools {
  contracts: string[];
  customers: string[];
  lines: string[];
  openIds: string[];
  drafts: { id: string; detailId: string; quantity: string }[];
}

/** Nearest-rank percentile. */
const percentile = (samples: readonly number[], p: number) => {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)] as T;

/** Contracts `[offset, offset + count)` in id order: every T&M item ready, one run date. */
async function prepareRun(db: Kysely<DB>, offset: number, count: number) {
  const ids = (
    await sql<{ id: string }>`
      SELECT id FROM contracts WHERE NOT EXISTS (
        SELECT 1 FROM invoices v WHERE v.contract_id = contracts.id AND v.status = 'Draft')
      ORDER BY id OFFSET ${offset} LIMIT ${count}`.execute(db)
  ).rows.map((r) => r.id);
  await sql`
    UPDATE actuals SET billing_status = 'ReadyToInvoice'
    WHERE contract_id = ANY(${ids}::bigint[]) AND billing_status IN ('UnbilledSalesCreated', 'NotReadyToInvoice')
      AND nte_status <> 'Failed'`.execute(db);
  await sql`
    INSERT INTO invoice_schedule_dates (contract_id, contract_line_id, run_date, cutoff_date)
    SELECT contract_id, id, ${RUN_DATE}::date, ${RUN_DATE}::date FROM contract_lines
    WHERE contract_id = ANY(${ids}::bigint[]) AND billing_method = 'TimeAndMaterial'
    ON CONFLICT DO NOTHING`.execute(db);
  const items = await sql<{ n: string }>`
    SELECT count(*) AS n FROM actuals WHERE contract_id = ANY(${ids}::bigint[]) AND billing_status = 'ReadyToInvoice'
  `.execute(db);
  return { ids, items: Number(items.rows[0]?.n ?? 0) };
}

/** What the clients work on: other contracts than the runs', and a few drafts to edit. */
async function preparePools(
  ctx: BenchContext,
  exclude: readonly string[],
  clients: number,
): Promise<Pools> {
  const rows = async (q: ReturnType<typeof sql<{ id: string }>>) =>
    (await q.execute(ctx.db)).rows.map((r) => r.id);
  const contracts = await rows(sql<{ id: string }>`
    SELECT id FROM contracts WHERE id <> ALL(${exclude}::bigint[]) ORDER BY random() LIMIT 500`);
  const customers = await rows(sql<{ id: string }>`
    SELECT customer_id AS id FROM contract_customers WHERE contract_id = ANY(${contracts}::bigint[]) GROUP BY 1`);
  const lines = await rows(sql<{ id: string }>`
    SELECT id FROM contract_lines WHERE contract_id = ANY(${contracts}::bigint[]) AND billing_method = 'TimeAndMaterial'`);
  const openIds = await rows(sql<{ id: string }>`
    SELECT id FROM actuals
    WHERE contract_id = ANY(${contracts}::bigint[]) AND type = 'UnbilledSales' AND reverses_id IS NULL
      AND billing_status = 'UnbilledSalesCreated' AND nte_status <> 'Failed'
    LIMIT 50000`);
  // One draft per client to edit: the ready items of a contract of the pool.
  const drafts: Pools['drafts'] = [];
  for (const contractId of contracts.slice(-Math.max(4, clients))) {
    const made = await ctx.api.request<{
      invoices: { id: string; lines: { details: { id: string; quantity: string }[] }[] }[];
    }>('POST', '/invoices', { contractId, invoiceDate: '2027-01-15' });
    for (const invoice of made.invoices) {
      const detail = invoice.lines[0]?.details[0];
      if (detail) drafts.push({ id: invoice.id, detailId: detail.id, quantity: detail.quantity });
    }
  }
  return {
    contracts: contracts.slice(0, -Math.max(4, clients)),
    customers,
    lines,
    openIds,
    drafts,
  };
}

/** Which operation a request (`METHOD path`, or an error message naming it) belongs to. */
function operationOf(request: string): Operation | 'unknown' {
  if (request.includes('/backlog/time-and-material?')) return 'page';
  if (request.includes('mark-')) return 'mark ready';
  if (request.includes('/entries')) return 'approval';
  if (request.includes('/invoices/')) return 'draft edit';
  return 'unknown';
}

/** One operation of one client, chosen with the weights of a billing team's day. */
async function operate(ctx: BenchContext, pools: Pools): Promise<Operation> {
  // A kind of work with nothing to work on (no open items, no lines, no drafts in a tiny
  // backlog) gives its share to pages.
  let roll = Math.random();
  if (
    (roll >= 0.7 && roll < 0.8 && pools.openIds.length === 0) ||
    (roll >= 0.8 && roll < 0.9 && pools.lines.length === 0) ||
    (roll >= 0.9 && pools.drafts.length === 0)
  ) {
    roll = 0;
  }
  if (roll < 0.7) {
    const filters: Record<string, string>[] = [
      {},
      { contractId: pick(pools.contracts) },
      { customerId: pick(pools.customers) },
      { contractLineId: pick(pools.lines) },
      { billingStatus: 'ReadyToInvoice' },
      { transactionClass: 'Expense' },
      { nteStatus: 'Committed' },
      { dateFrom: '2025-06-01', dateTo: '2025-06-30' },
      { sort: '-amount' },
    ];
    const q = new URLSearchParams(pick(filters)).toString();
    await ctx.api.request('GET', `/backlog/time-and-material?${q}`);
    return 'page';
  }
  if (roll < 0.8) {
    const at = Math.floor(Math.random() * Math.max(1, pools.openIds.length - 100));
    const ids = pools.openIds.slice(at, at + 100);
    const to = Math.random() < 0.5 ? 'mark-ready' : 'mark-not-ready';
    await ctx.api.request('POST', `/backlog/time-and-material/${to}`, { ids });
    return 'mark ready';
  }
  if (roll < 0.9) {
    const ids: string[] = [];
    const lineId = pick(pools.lines);
    for (let i = 0; i < 5; i++) {
      const entry = await ctx.api.request<{ id: string }>('POST', '/entries', {
        contractLineId: lineId,
        transactionClass: 'Time',
        date: '2026-10-15',
        quantity: '1.5',
        unitPrice: '120.00',
      });
      ids.push(entry.id);
    }
    await ctx.api.request('POST', '/entries/approve', { ids });
    return 'approval';
  }
  // R62: bill less of a detail, or all of it again (PATCH /invoices/{id} of the header fields
  // is not on this branch).
  const draft = pick(pools.drafts);
  await ctx.api.request('PATCH', `/invoices/${draft.id}/details/${draft.detailId}`, {
    quantity: Math.random() < 0.5 ? draft.quantity : (Number(draft.quantity) / 2).toFixed(2),
  });
  return 'draft edit';
}

interface JobAnswer {
  id: string;
  status: 'Queued' | 'Running' | 'Succeeded' | 'Failed';
  progress: { contractsDone: number; contractsTotal: number };
  invoiceIds: string[];
  errors: { contractId: string; code: string; message: string }[];
}

/** Queues the run as a job and waits for its end; answers the job as it ended. */
async function runJob(ctx: BenchContext, contractIds: readonly string[]): Promise<JobAnswer> {
  const queued = await ctx.api.request<JobAnswer>('POST', '/invoice-runs/jobs', {
    runDate: RUN_DATE,
    contractIds,
  });
  for (;;) {
    const job = await ctx.api.request<JobAnswer>('GET', `/invoice-runs/jobs/${queued.id}`);
    if (job.status === 'Succeeded' || job.status === 'Failed') return job;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const jobFailure = (job: JobAnswer) =>
  job.status === 'Failed' || job.errors.length > 0
    ? `job ${job.status}, ${job.errors.length} contracts failed${job.errors[0] ? ` (first: ${job.errors[0].code} ${job.errors[0].message})` : ''}`
    : undefined;

async function deadlocks(db: Kysely<DB>): Promise<number> {
  const r = await sql<{ n: string }>`
    SELECT coalesce(deadlocks, 0) AS n FROM pg_stat_database WHERE datname = current_database()`.execute(
    db,
  );
  return Number(r.rows[0]?.n ?? 0);
}

export async function measureMixedLoad(
  ctx: BenchContext,
  o: MixedLoadOptions,
): Promise<Measurement[]> {
  const alone = await prepareRun(ctx.db, 0, o.runContracts);
  const loaded = await prepareRun(ctx.db, o.runContracts, o.runContracts);
  const pools = await preparePools(ctx, [...alone.ids, ...loaded.ids], o.clients);
  ctx.log(
    `  mixed load: run alone over ${alone.ids.length} contracts (${alone.items} items), ` +
      `then ${o.clients} clients for ${o.seconds} s beside a run over ${loaded.ids.length} (${loaded.items} items)`,
  );
  const pids = {
    server: ctx.api.pid === process.pid ? undefined : ctx.api.pid,
    worker: ctx.api.workerPid,
    driver: process.pid,
  };
  const aloneSampler = sampleLoad(ctx.db, pids);
  const t0 = performance.now();
  const aloneJob = await runJob(ctx, alone.ids);
  const aloneMs = performance.now() - t0;
  const aloneLoad = await aloneSampler.stop();
  const aloneFailure = jobFailure(aloneJob);
  if (aloneFailure) throw new Error(`the run alone failed: ${aloneFailure}`);

  const samples = new Map<Operation, number[]>();
  const errors = new Map<Operation | 'unknown', string[]>();
  const deadlocksBefore = await deadlocks(ctx.db);
  const until = performance.now() + o.seconds * 1000;
  let runDone = false;
  const loadStarted = performance.now();
  const client = async () => {
    // A team does not click in the same millisecond: each client's first request comes at a
    // random moment within one think time, as its later ones do. Started all at once, the 32
    // first requests queued behind each other and made most of the p99 on their own.
    if (o.thinkMs > 0) await new Promise((r) => setTimeout(r, o.thinkMs * Math.random()));
    while (performance.now() < until || !runDone) {
      const t = performance.now();
      try {
        const op = await operate(ctx, pools);
        const ms = performance.now() - t;
        const list = samples.get(op);
        if (list) list.push(ms);
        else samples.set(op, [ms]);
        if (o.thinkMs > 0) {
          await new Promise((r) => setTimeout(r, o.thinkMs * (0.5 + Math.random())));
        }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const op = operationOf(message);
        const list = errors.get(op);
        if (list) list.push(message.slice(0, 200));
        else errors.set(op, [message.slice(0, 200)]);
      }
    }
  };
  // The server's own time per request, by the operation the request belongs to.
  const serverMs = new Map<Operation, number[]>();
  ctx.api.onServerTiming = (method, path, ms) => {
    const op = operationOf(`${method} ${path}`);
    if (op === 'unknown') return;
    const list = serverMs.get(op);
    if (list) list.push(ms);
    else serverMs.set(op, [ms]);
  };
  const clients = Array.from({ length: o.clients }, client);
  const sampler = sampleLoad(ctx.db, pids);
  // The run starts once the clients are busy.
  await new Promise((r) => setTimeout(r, 1000));
  const t1 = performance.now();
  let runError: string | undefined;
  let loadedJob: JobAnswer | undefined;
  try {
    loadedJob = await runJob(ctx, loaded.ids);
    runError = jobFailure(loadedJob);
  } catch (e) {
    runError = e instanceof Error ? e.message : String(e);
  }
  const loadedMs = performance.now() - t1;
  runDone = true;
  await Promise.all(clients);
  ctx.api.onServerTiming = undefined;
  const load = await sampler.stop();
  const elapsed = (performance.now() - loadStarted) / 1000;
  const newDeadlocks = (await deadlocks(ctx.db)) - deadlocksBefore;

  const out: Measurement[] = [];
  for (const op of ['page', 'mark ready', 'approval', 'draft edit'] as const) {
    const s = samples.get(op) ?? [];
    const server = serverMs.get(op) ?? [];
    const failed = errors.get(op) ?? [];
    const p99 = percentile(s, 99);
    out.push({
      operation: `Mixed load: ${op}`,
      detail:
        `${o.clients} clients${o.thinkMs > 0 ? ` thinking ${o.thinkMs} ms` : ' without pause'}, ${elapsed.toFixed(0)} s: ${s.length} done (${(s.length / elapsed).toFixed(1)}/s), ` +
        `p50 ${percentile(s, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, ${failed.length} errors; ` +
        `server time a request (Server-Timing) p50 ${percentile(server, 50).toFixed(1)} ms, p99 ${percentile(server, 99).toFixed(1)} ms` +
        (failed[0] ? ` (first: ${failed[0]})` : ''),
      unit: 'ms',
      api: summarize(s),
      target: op === 'page' ? `p99 ≤ ${PAGE_P99_MS} ms, 0 errors` : '0 errors',
      met: failed.length === 0 && (op !== 'page' || p99 <= PAGE_P99_MS),
    });
  }
  const unknown = errors.get('unknown') ?? [];
  out.push({
    operation: 'Mixed load: invoice run (POST /invoice-runs/jobs)',
    detail:
      `${loaded.ids.length} contracts, ${loaded.items} items beside the clients: ${(loadedMs / 1000).toFixed(1)} s` +
      ` (${loadedJob?.invoiceIds.length ?? 0} drafts; alone ${aloneJob.invoiceIds.length}); ` +
      `alone (${alone.ids.length} other contracts, ${alone.items} items): ${(aloneMs / 1000).toFixed(1)} s; ` +
      `${newDeadlocks} deadlocks` +
      (runError ? `; the run failed: ${runError.slice(0, 200)}` : '') +
      (unknown.length ? `; ${unknown.length} other errors` : '') +
      `; under load: ${describeLoad(load)}; alone: ${describeLoad(aloneLoad)}`,
    unit: 'ms',
    api: summarize([loadedMs]),
    raw: summarize([aloneMs]),
    ratio: loadedMs / aloneMs,
    target: `≤ ${RUN_FACTOR}× alone, 0 deadlocks`,
    met: !runError && newDeadlocks === 0 && loadedMs <= RUN_FACTOR * aloneMs,
  });
  ctx.log(
    `  mixed load: run ${(loadedMs / 1000).toFixed(1)} s under load, ${(aloneMs / 1000).toFixed(1)} s alone; ` +
      `${[...samples.values()].reduce((n, s) => n + s.length, 0)} operations, ` +
      `${[...errors.values()].reduce((n, e) => n + e.length, 0)} errors, ${newDeadlocks} deadlocks; ` +
      describeLoad(load),
  );
  return out;
}
