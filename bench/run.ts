/**
 * `npm run bench -- [--scale N] [--quick] [--db embedded|postgres] [--runs 5]`
 *
 * For each database: a fresh database, the migrations, generated data at the scale asked
 * for, the real server on a local port, then every operation through the HTTP API and as
 * raw SQL. Writes bench/results/<timestamp>.json and prints the Markdown table that
 * docs/BENCHMARKS.md shows. The PostgreSQL server is BENCH_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres); a database bb_bench_<pid> is created on it
 * and dropped afterwards. The embedded database lives in a temporary directory.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDatabase, type Database, type DatabaseKind } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { measureDocuments } from './documents.js';
import { generate } from './generate.js';
import { generateHistory } from './history.js';
import { measureMixedLoad } from './mixed-load.js';
import { measureInvoicing, type InvoicingSizes } from './invoicing.js';
import { standInForAutovacuum } from './autovacuum.js';
import { calibrate, databaseVersion, describeMachine } from './machine.js';
import {
  measureApproval,
  measureMarkReady,
  measurePages,
  type BenchContext,
} from './operations.js';
import { renderMarkdown, type BenchResult, type DatabaseResult } from './report.js';
import { rssSampler, startServer } from './server.js';

const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const RSS_TARGET_MB: Record<DatabaseKind, number> = { postgres: 300, embedded: 1024 };

const log = (message: string) =>
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

/**
 * An open database; `url` (PostgreSQL) lets the server run in a process of its own on it.
 */
export type BenchDatabase = Database & { url?: string };

/** A database of `kind` to open (more than once), removed when `work` is done. */
async function withDatabase<T>(
  kind: DatabaseKind,
  work: (open: () => Promise<BenchDatabase>) => Promise<T>,
): Promise<T> {
  if (kind === 'embedded') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bb-bench-'));
    try {
      return await work(() => openDatabase({ dataDir: dir }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const name = `bb_bench_${process.pid}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: SERVER_URL });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  try {
    return await work(async () => ({
      ...(await openDatabase({ databaseUrl: url.toString() })),
      url: url.toString(),
    }));
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

export interface BenchOptions {
  scale: number;
  runs: number;
  /**
   * Close and reopen the database between generating and measuring. On the embedded
   * database this leaves out the memory the bulk load used, so the RSS measured is that of a
   * server started on an existing data directory.
   */
  reopen: boolean;
  /** `--quick`: smaller invoicing operations (see `invoicingSizes`). */
  quick?: boolean;
  /** `--history`: periods of posted history beside the open backlog (bench/history.ts). */
  historyCopies?: number;
  /** `--mixed`: clients and seconds of the mixed load (bench/mixed-load.ts); off when absent. */
  mixed?: { clients: number; seconds: number; thinkMs: number };
  log?: (message: string) => void;
}

/**
 * 1,000 contracts of 100 items, at most 1,000 drafts confirmed, invoices of 10,000 and 2,000
 * lines at 1M; a tenth of the contracts and of the lines below. Quick mode runs over 20
 * contracts (about 2,000 items, all their drafts confirmed) and keeps the large invoices:
 * their target does not depend on the backlog's size, so a quick run can judge it.
 */
export function invoicingSizes(scale: number, contracts: number, quick = false): InvoicingSizes {
  const large = Math.min(10_000, Math.max(10, Math.round(scale / 10)));
  return {
    contracts: Math.min(quick ? 20 : 1000, Math.max(2, Math.round(contracts / 10))),
    confirmAtMost: 1000,
    largeInvoices: [...new Set([large, Math.min(2000, large)])],
  };
}

const rssMb = () => Math.round(process.memoryUsage.rss() / 2 ** 20);

/**
 * One database: generate, serve, measure; closes what it opened. Exported for the test
 * that keeps the benchmark from rotting.
 */
export async function benchDatabase(
  open: () => Promise<BenchDatabase>,
  options: BenchOptions,
): Promise<DatabaseResult> {
  const say = options.log ?? log;
  const started = performance.now();
  let database = await open();
  try {
    await migrateToLatest(database.db as never);
    say(
      `${database.kind}: opened and migrated in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    say(
      `${database.kind}: generating ${options.scale.toLocaleString('en-US')} actuals (RSS ${rssMb()} MB)`,
    );
    const shape = await generate(database.db, options.scale, (m) => say(`  ${m}`));
    const history = options.historyCopies
      ? await generateHistory(database.db, options.historyCopies, (m) => say(`  ${m}`))
      : undefined;
    if (history) {
      say(
        `${database.kind}: history of ${history.ledgerRows.toLocaleString('en-US')} posted ledger rows, ` +
          `${history.invoices.toLocaleString('en-US')} invoices in ${history.seconds.toFixed(1)} s`,
      );
    }
    const afterGenerateMb = rssMb();
    say(
      `${database.kind}: ${shape.actuals} actuals in ${shape.seconds.toFixed(1)} s (RSS ${afterGenerateMb} MB)`,
    );
    if (options.reopen) {
      const t = performance.now();
      await database.close();
      database = await open();
      say(
        `${database.kind}: reopened in ${((performance.now() - t) / 1000).toFixed(1)} s (RSS ${rssMb()} MB)`,
      );
    }
    const api = await startServer(database.db, database.kind, database.url);
    const autovacuum = await standInForAutovacuum(database.db, say);
    // The server's process; the driver's (this one) too when the server runs apart.
    const rss = rssSampler(api.pid);
    const driverRss = api.pid === process.pid ? undefined : rssSampler();
    try {
      const ctx: BenchContext = { db: database.db, api, runs: options.runs, log: say };
      // Where the time of a run goes (docs/BENCHMARKS.md, quick mode), in the log.
      const phase = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
        const t = performance.now();
        const value = await work();
        say(
          `${database.kind}: ${name} took ${((performance.now() - t) / 1000).toFixed(1)} s ` +
            `(server RSS peak so far ${rss.peakMb()} MB)`,
        );
        return value;
      };
      const measurements = [
        ...(await phase('backlog pages', () => measurePages(ctx))),
        await phase('mark ready', () => measureMarkReady(ctx)),
        ...(await phase('approval', () =>
          measureApproval(ctx, options.scale >= 1_000_000 ? 1000 : Math.min(100, shape.lines)),
        )),
        // The invoicing baselines copy contracts, which refuses contracts with invoices: with
        // history every contract has some, so --history measures pages, marks and approval.
        ...(history
          ? []
          : await phase('invoicing', () =>
              measureInvoicing(ctx, invoicingSizes(options.scale, shape.contracts, options.quick)),
            )),
        ...(options.mixed
          ? await phase('mixed load', () =>
              measureMixedLoad(ctx, {
                ...(options.mixed as { clients: number; seconds: number; thinkMs: number }),
                runContracts: invoicingSizes(options.scale, shape.contracts, options.quick)
                  .contracts,
                kind: database.kind,
              }),
            )
          : []),
        ...(await phase('documents', () => measureDocuments(ctx))),
      ];
      const peakMb = rss.peakMb();
      // VmHWM: the kernel's peak of the server's whole life, which sampling may miss.
      const hwmMb = driverRss ? rss.hwmMb() : undefined;
      const targetMb = RSS_TARGET_MB[database.kind];
      return {
        database: database.kind,
        version: await databaseVersion(database.db),
        shape,
        ...(history ? { history } : {}),
        measurements,
        rss: {
          afterGenerateMb,
          peakMb,
          targetMb,
          met: Math.max(peakMb, hwmMb ?? 0) <= targetMb,
          process: driverRss ? 'server' : 'bench',
          ...(hwmMb === undefined ? {} : { hwmMb }),
          ...(driverRss ? { driverPeakMb: driverRss.peakMb() } : {}),
        },
        ...(autovacuum ? { autovacuumStandIn: await autovacuum.stop() } : {}),
        seconds: (performance.now() - started) / 1000,
      };
    } finally {
      await autovacuum?.stop();
      rss.stop();
      driverRss?.stop();
      await api.close();
    }
  } finally {
    await database.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string' },
      quick: { type: 'boolean', default: false },
      db: { type: 'string' },
      runs: { type: 'string' },
      history: { type: 'boolean', default: false },
      'history-copies': { type: 'string' },
      mixed: { type: 'boolean', default: false },
      clients: { type: 'string' },
      seconds: { type: 'string' },
      think: { type: 'string' },
      // Internal: run one database and write its result here (see below).
      'result-file': { type: 'string' },
    },
  });
  const scale = Number(values.scale ?? (values.quick ? 100_000 : 1_000_000));
  // --quick keeps to about two minutes a database: fewer rounds unless --runs says.
  const runs = Number(values.runs ?? (values.quick ? 3 : 5));
  if (!Number.isInteger(scale) || scale < 100)
    throw new Error('--scale must be a whole number of actuals, at least 100');
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error('--runs must be a whole number, at least 1');
  if (values.db !== undefined && values.db !== 'embedded' && values.db !== 'postgres') {
    throw new Error('--db must be embedded or postgres (both when left out)');
  }
  const kinds: DatabaseKind[] = values.db ? [values.db as DatabaseKind] : ['embedded', 'postgres'];
  // --history: 3 periods of posted history (9M posted ledger rows beside 1M open actuals).
  const historyCopies = values.history ? Number(values['history-copies'] ?? 3) : 0;
  if (!Number.isInteger(historyCopies) || historyCopies < 0)
    throw new Error('--history-copies must be a whole number');
  // --mixed: 32 clients for 60 s beside an invoice run (quick: 8 clients for 15 s).
  const mixed = values.mixed
    ? {
        clients: Number(values.clients ?? (values.quick ? 8 : 32)),
        seconds: Number(values.seconds ?? (values.quick ? 15 : 60)),
        thinkMs: Number(values.think ?? 0),
      }
    : undefined;
  if (mixed && (!Number.isInteger(mixed.clients) || mixed.clients < 1 || !(mixed.seconds > 0)))
    throw new Error('--clients must be a whole number ≥ 1 and --seconds a positive number');
  if (mixed && !(mixed.thinkMs >= 0))
    throw new Error('--think must be a number of milliseconds ≥ 0');

  const result: BenchResult = {
    startedAt: new Date().toISOString(),
    args: {
      scale,
      quick: values.quick ?? false,
      runs,
      ...(historyCopies ? { historyCopies } : {}),
      ...(mixed ? { mixed } : {}),
    },
    machine: describeMachine(),
    databases: [],
    notMeasured: [],
  };
  const resultFile = values['result-file'];
  if (resultFile) {
    const kind = kinds[0] as DatabaseKind;
    const one = await withDatabase(kind, (open) =>
      benchDatabase(open, {
        scale,
        runs,
        reopen: true,
        quick: values.quick ?? false,
        historyCopies,
        ...(mixed ? { mixed } : {}),
      }),
    );
    writeFileSync(resultFile, JSON.stringify(one));
    return;
  }
  // Each database in a process of its own: the embedded database's memory is not handed
  // back to the system when it closes, and would count in the next database's RSS.
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bb-bench-result-'));
  try {
    for (const kind of kinds) {
      const file = path.join(tmp, `${kind}.json`);
      const args = [
        '--db',
        kind,
        '--scale',
        String(scale),
        '--runs',
        String(runs),
        '--result-file',
        file,
        ...(values.quick ? ['--quick'] : []),
        ...(historyCopies ? ['--history', '--history-copies', String(historyCopies)] : []),
        ...(mixed
          ? [
              '--mixed',
              '--clients',
              String(mixed.clients),
              '--seconds',
              String(mixed.seconds),
              '--think',
              String(mixed.thinkMs),
            ]
          : []),
      ];
      const child = spawnSync(
        process.execPath,
        [...process.execArgv, process.argv[1] as string, ...args],
        {
          stdio: 'inherit',
        },
      );
      if (child.status !== 0) throw new Error(`the ${kind} run failed (exit ${child.status})`);
      result.databases.push(JSON.parse(readFileSync(file, 'utf8')) as DatabaseResult);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  result.machine.loadAverage.end = os.loadavg()[0];
  result.machine.calibrationMs.end = calibrate();

  const dir = path.join(path.dirname(new URL(import.meta.url).pathname), 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${result.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(renderMarkdown(result));
  log(`results written to ${path.relative(process.cwd(), file)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
