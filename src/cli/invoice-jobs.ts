/**
 * `invoice-run` and `worker` (R95–R97). `invoice-run --date D` runs an invoice run as a job
 * and shows its progress: through a running server's API when `--server` is given (the job
 * is worked by the server's workers), otherwise in this process on the database, by the same
 * job code the workers use (so the job is listed like any other, and a run the process did
 * not finish is finished by the next worker or `invoice-run`). `worker` works jobs on a
 * PostgreSQL server next to the API processes.
 */
import { userInfo } from 'node:os';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { queueInvoiceRunJob, workNextStep } from '../commands/invoiceRunJobs.js';
import { startInvoiceRunWorker } from '../commands/invoiceRunWorker.js';
import { inTransaction } from '../db/transaction.js';
import { isDateInRange } from '../domain/calendar.js';
import { isId } from '../domain/ids.js';
import { readJob, type InvoiceRunJobView } from '../views/invoice-run-jobs.js';
import {
  cliConfig,
  openCliDatabase,
  withDatabaseOptions,
  type DatabaseOptions,
} from './database.js';
import { wholeNumber } from './arguments.js';
import { CliError, EXIT } from './exit.js';

const actor = () => `cli:${userInfo().username}`;

const collect = (value: string, previous: string[] = []) => [...previous, value];

interface RunOptions extends DatabaseOptions {
  date: string;
  contract?: string[];
  server?: string;
  token?: string;
  json: boolean;
  progress: boolean;
}

const finished = (job: InvoiceRunJobView) => job.status === 'Succeeded' || job.status === 'Failed';

function progressBar(enabled: boolean) {
  if (!enabled) return undefined;
  return new cliProgress.SingleBar(
    {
      format:
        'invoice run |{bar}| {value}/{total} contracts | {invoices} invoices, {failed} failed',
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
}

/** Drives the bar from successive reads of the job until it has finished. */
async function follow(
  read: () => Promise<InvoiceRunJobView>,
  step: () => Promise<void>,
  showBar: boolean,
): Promise<InvoiceRunJobView> {
  const bar = progressBar(showBar);
  let started = false;
  try {
    for (;;) {
      const job = await read();
      const payload = { invoices: job.invoiceIds.length, failed: job.errors.length };
      if (!started && job.status !== 'Queued') {
        bar?.start(job.progress.contractsTotal, job.progress.contractsDone, payload);
        started = true;
      } else if (started) {
        bar?.update(job.progress.contractsDone, payload);
      }
      if (finished(job)) return job;
      await step();
    }
  } finally {
    bar?.stop();
  }
}

async function viaServer(options: RunOptions, body: object): Promise<InvoiceRunJobView> {
  const token = options.token ?? process.env.BILLING_BACKLOG_TOKEN;
  if (!token)
    throw new CliError(
      '--server needs --token or BILLING_BACKLOG_TOKEN (a biller or admin token)',
      EXIT.usage,
    );
  let base: URL;
  try {
    base = new URL('/api/v1/', options.server);
  } catch {
    throw new CliError(
      `--server ${options.server} is not a URL such as http://localhost:3000`,
      EXIT.usage,
    );
  }
  const call = async (method: string, path: string, payload?: object) => {
    const res = await fetch(new URL(path, base), {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(payload ? { 'content-type': 'application/json' } : {}),
      },
      ...(payload ? { body: JSON.stringify(payload) } : {}),
    });
    const answer = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok)
      throw new CliError(
        `the server answered ${res.status}: ${String(answer.detail ?? answer.title ?? answer.code ?? '')}`,
        res.status === 400 || res.status === 422 ? EXIT.usage : EXIT.failed,
      );
    return answer as unknown as InvoiceRunJobView;
  };
  const queued = await call('POST', 'invoice-runs/jobs', body);
  return follow(
    () => call('GET', `invoice-runs/jobs/${queued.id}`),
    () => new Promise((r) => setTimeout(r, 250)),
    options.progress,
  );
}

async function inProcess(
  options: RunOptions,
  body: { runDate: string; contractIds?: string[] },
): Promise<InvoiceRunJobView> {
  const database = await openCliDatabase(options);
  try {
    const { db } = database;
    const queued = await inTransaction(db, (trx) =>
      queueInvoiceRunJob({ db: trx, actor: actor() }, body),
    );
    let idle = 0;
    return await follow(
      async () => (await readJob(db, queued.id))!,
      async () => {
        // Another worker (PostgreSQL) may hold the last contracts: wait for it, not spin.
        const step = await workNextStep(db, queued.id);
        if (step.kind === 'idle')
          await new Promise((r) => setTimeout(r, Math.min(50 * ++idle, 1000)));
        else idle = 0;
      },
      options.progress,
    );
  } finally {
    await database.close();
  }
}

export function addInvoiceJobCommands(program: Command): void {
  withDatabaseOptions(
    program
      .command('invoice-run')
      .description(
        'run the invoice run for a date as a job (R66, R95) with a progress bar: through a server with --server, else in this process on the database',
      )
      .requiredOption('--date <YYYY-MM-DD>', 'the run date')
      .option('--contract <id>', 'only this contract (repeatable)', collect)
      .option('--server <url>', 'queue the job on this running server (e.g. http://localhost:3000)')
      .option('--token <token>', 'API token for --server (default: BILLING_BACKLOG_TOKEN)')
      .option('--json', 'print the finished job as JSON', false)
      .option('--no-progress', 'no progress bar (it is shown only on a terminal anyway)'),
  ).action(async (options: RunOptions) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(options.date) || !isDateInRange(options.date))
      throw new CliError(`--date ${options.date} is not a date as YYYY-MM-DD`, EXIT.usage);
    const bad = options.contract?.find((id) => !isId(id));
    if (bad) throw new CliError(`--contract ${bad} is not a contract id`, EXIT.usage);
    const body = {
      runDate: options.date,
      ...(options.contract ? { contractIds: options.contract } : {}),
    };
    const job = options.server ? await viaServer(options, body) : await inProcess(options, body);
    if (options.json) console.log(JSON.stringify(job));
    else {
      console.log(
        `invoice run ${job.runDate} (job ${job.id}): ${job.status}, ` +
          `${job.progress.contractsDone}/${job.progress.contractsTotal} contracts, ` +
          `${job.invoiceIds.length} invoices created, ${job.errors.length} failed`,
      );
      for (const e of job.errors)
        console.log(`  contract ${e.contractId || '-'}: ${e.code} ${e.message}`);
    }
    if (job.status === 'Failed' || job.errors.length > 0) process.exitCode = EXIT.failed;
  });

  withDatabaseOptions(
    program
      .command('worker')
      .description(
        'work queued invoice-run jobs (R97) until SIGTERM or Ctrl-C; PostgreSQL only (--url or DATABASE_URL): ' +
          'on the embedded database only the server process can open the data directory, and it works jobs itself',
      )
      .option(
        '--concurrency <n>',
        'contracts worked at once by this process',
        wholeNumber(1, 16),
        1,
      )
      .option(
        '--poll-ms <ms>',
        'how often an idle worker looks for new jobs',
        wholeNumber(1, 3_600_000),
        1000,
      )
      .option(
        '--retention-days <days>',
        'forget finished jobs older than this (their invoices stay); 0 keeps every job',
        wholeNumber(0, 36_500),
        400,
      ),
  ).action(
    async (
      options: DatabaseOptions & { concurrency: number; pollMs: number; retentionDays: number },
    ) => {
      if (!cliConfig(options).DATABASE_URL)
        throw new CliError(
          'the worker needs PostgreSQL (--url or DATABASE_URL). On the embedded database only one ' +
            'process can open the data directory: the server works jobs itself (JOB_WORKERS).',
          EXIT.usage,
        );
      // A connection per loop, and one for the next claim while they hold theirs.
      const database = await openCliDatabase(options, 'always', options.concurrency + 1);
      const log = {
        info: (obj: object, msg: string) => console.log(JSON.stringify({ ...obj, msg })),
        error: (obj: object, msg: string) =>
          console.error(
            JSON.stringify({ ...obj, err: String((obj as { err?: unknown }).err ?? ''), msg }),
          ),
      };
      const worker = startInvoiceRunWorker(database.db, {
        concurrency: options.concurrency,
        pollMs: options.pollMs,
        retentionDays: options.retentionDays,
        log,
      });
      console.log(
        `worker ${process.pid}: working invoice-run jobs (${options.concurrency} at once)`,
      );
      await new Promise<void>((resolve) => {
        process.once('SIGTERM', () => resolve());
        process.once('SIGINT', () => resolve());
      });
      console.log(`worker ${process.pid}: stopping after the contract in hand`);
      await worker.stop();
      await database.close();
    },
  );
}
