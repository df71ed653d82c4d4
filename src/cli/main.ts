/**
 * `billing-backlog`: the command line. Each command opens the database the way the server
 * does (src/db/database.ts) and calls the same commands and repositories as the API.
 * Exit codes: see ./exit.ts.
 */
import { userInfo } from 'node:os';
import { Command, CommanderError, Option } from 'commander';
import type { z } from 'zod';
import { createToken, revokeToken } from '../commands/tokens.js';
import { inTransaction } from '../db/transaction.js';
import { DomainError } from '../domain/errors.js';
import { loadDemoData } from '../demo/demo-data.js';
import { migrateToLatest } from '../db/migrate.js';
import { listTokens } from '../repositories/tokens.js';
import {
  openCliDatabase,
  withDatabase,
  withDatabaseOptions,
  type DatabaseOptions,
} from './database.js';
import { wholeNumber } from './arguments.js';
import { CliError, EXIT } from './exit.js';
import { addEinvoiceExport } from './export-einvoices.js';
import {
  EXPORT_PAGE,
  exportFilters,
  exportView,
  filterHelp,
  kebab,
  type ExportFormat,
} from './export.js';
import { exportViews } from './export-views.js';
import { addInvoiceJobCommands } from './invoice-jobs.js';
import { importThroughServer } from './import-through-server.js';
import { addDocumentCommands } from './invoice-documents.js';
import {
  ENTRY_COLUMNS,
  IMPORT_MODES,
  emptySummary,
  type ImportMode,
} from '../commands/importEntriesFile.js';
import { importEntriesLocally, previousRunLine, summaryLine } from './import-entries.js';

const ROLES = ['viewer', 'biller', 'approver', 'admin'] as const;

/** Who the audit trail names for CLI changes (R35). */
const actor = () => `cli:${userInfo().username}`;

const positiveInt = wholeNumber(1);

const pageSize = wholeNumber(1, EXPORT_PAGE);

const collect = (value: string, previous: unknown): string | string[] =>
  previous === undefined
    ? value
    : [...(Array.isArray(previous) ? previous : [String(previous)]), value];

export function buildProgram(): Command {
  const program = new Command('billing-backlog')
    .description('Billing backlog: serve the API, migrate, import and export, manage API tokens.')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      '\nDatabase: PostgreSQL when --url or DATABASE_URL is set, else the embedded database in ' +
        '--data-dir or DATA_DIR (default ./data).\nA running server locks its embedded database: ' +
        'use --url with a PostgreSQL server, or stop the server first.\n' +
        'Exit codes: 0 done, 1 failed, 2 bad usage or configuration, 3 embedded database in use.',
    );

  program
    .command('serve')
    .description(
      'serve the API (the same as npm start; configured by PORT, HOST, DATA_DIR, DATABASE_URL, ADMIN_TOKEN, DEMO, LOG_LEVEL)',
    )
    .action(async () => {
      await import('../main.js');
    });

  withDatabaseOptions(
    program.command('migrate').description('apply pending database migrations and exit'),
  ).action(async (options: DatabaseOptions) => {
    const database = await openCliDatabase(options, 'never');
    try {
      const applied = await migrateToLatest(database.db as never);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
    } finally {
      await database.close();
    }
  });

  withDatabaseOptions(
    program.command('demo').description('load the demo data into an empty database'),
  ).action(async (options: DatabaseOptions) => {
    await withDatabase(options, async ({ db }) => {
      const loaded = await loadDemoData(db);
      console.log(
        loaded ? 'demo data loaded' : 'the database already has contracts: demo data left out',
      );
    });
  });

  const importCommand = program.command('import').description('import data from files');
  withDatabaseOptions(
    importCommand
      .command('entries')
      .description(
        'import time and expense entries from a CSV file (streamed: any size, bounded memory)',
      )
      .argument(
        '<file.csv>',
        `CSV with a header line naming the columns: ${ENTRY_COLUMNS.join(', ')}`,
      )
      .option('--approve', 'approve each imported entry, creating its unbilled actuals', false)
      .addOption(
        new Option(
          '--mode <mode>',
          'what a bad row does: all-or-nothing imports nothing, skip-bad-rows imports the rest',
        )
          .choices(IMPORT_MODES)
          .default('all-or-nothing'),
      )
      .option(
        '--errors <report.csv>',
        'write each bad row to this CSV report (line, field, reason)',
      )
      .option(
        '--batch-size <n>',
        'rows per batch (and per transaction with skip-bad-rows)',
        positiveInt,
        1000,
      )
      .option('--json', 'print the summary as JSON', false)
      .option(
        '--server <url>',
        'import through a running server (e.g. http://localhost:3000) instead of opening the database',
      )
      .option('--token <token>', 'API token for --server (default: BILLING_TOKEN)'),
  ).action(
    async (
      file: string,
      options: DatabaseOptions & {
        approve: boolean;
        mode: ImportMode;
        errors?: string;
        batchSize: number;
        json: boolean;
        server?: string;
        token?: string;
      },
    ) => {
      // Issue 19: the summary line is printed whatever happens — success, a failure, or a
      // stop by SIGINT/SIGTERM (counting what was committed); after a kill -9 the next run
      // of the same file says how far this one got.
      const summary = emptySummary(options.mode);
      const printSummary = () => {
        if (summary.previousRun) console.error(previousRunLine(summary.previousRun));
        if (options.json) console.log(JSON.stringify(summary));
        else console.log(summaryLine(summary));
      };
      const stopped = (signal: NodeJS.Signals) => {
        printSummary();
        process.exit(signal === 'SIGINT' ? 130 : 143);
      };
      process.once('SIGINT', stopped);
      process.once('SIGTERM', stopped);
      try {
        if (options.server) {
          const token = options.token ?? process.env.BILLING_TOKEN;
          if (!token) {
            throw new CliError('--server needs --token <token> (or BILLING_TOKEN)', EXIT.usage);
          }
          await importThroughServer(
            file,
            { ...options, server: options.server, token, errorsPath: options.errors },
            summary,
          );
        } else
          await withDatabase(options, ({ db }) =>
            importEntriesLocally(
              db,
              file,
              {
                mode: options.mode,
                approve: options.approve,
                errorsPath: options.errors,
                batchSize: options.batchSize,
                actor: actor(),
                progressBar: Boolean(process.stderr.isTTY) && !options.json,
              },
              summary,
            ),
          );
      } catch (error) {
        printSummary();
        if (error instanceof CliError && error.exitCode === EXIT.locked) {
          throw new CliError(
            `${error.message.split('\n')[0]}\n` +
              'A running server holds the embedded data directory; import through it instead:\n' +
              `  billing-backlog import entries ${file} --server http://localhost:3000 --token <token>\n` +
              '(the token needs the approver or admin role; create one with `billing-backlog tokens create` while the server is stopped, or on the Tokens page)',
            EXIT.locked,
          );
        }
        throw error;
      } finally {
        process.off('SIGINT', stopped);
        process.off('SIGTERM', stopped);
      }
      if (!options.json) {
        const outcome = summary.committed
          ? `imported ${summary.imported} of ${summary.rows} rows${options.approve ? ` (${summary.approved} approved)` : ''}`
          : `nothing imported: ${summary.mode} and the file has bad rows`;
        const bad = summary.badRows
          ? `; ${summary.badRows} bad rows${options.errors ? ` (see ${options.errors})` : ''}`
          : '';
        console.log(`${outcome}${bad}`);
      }
      printSummary();
      if (summary.badRows > 0) process.exitCode = EXIT.failed;
    },
  );

  const exportCommand = program
    .command('export')
    .description(
      `write a view as CSV or JSON with the API's filters (views: ${Object.keys(exportViews).join(', ')})`,
    );
  addEinvoiceExport(exportCommand);
  for (const [name, view] of Object.entries(exportViews)) {
    const sub = exportCommand
      .command(name)
      .description(view.description)
      .addOption(
        new Option('--format <format>', 'output format').choices(['csv', 'json']).default('csv'),
      )
      .option('-o, --output <file>', 'write to this file instead of stdout')
      .option(
        '--page-size <n>',
        `rows read per page, at most ${EXPORT_PAGE}`,
        pageSize,
        EXPORT_PAGE,
      );
    for (const key of Object.keys(view.filters.shape)) {
      sub.option(
        `--${kebab(key)} <value>`,
        filterHelp(key, view.filters.shape[key] as z.core.$ZodType),
        collect,
      );
    }
    withDatabaseOptions(sub).action(
      async (
        options: DatabaseOptions & {
          format: ExportFormat;
          output?: string;
          pageSize: number;
        } & Record<string, unknown>,
      ) => {
        const filters = exportFilters(view, options);
        // Reads only, so it also runs against a read replica (--url of the replica).
        const count = await withDatabase(
          options,
          ({ db }) =>
            exportView(db, view, filters, {
              format: options.format,
              output: options.output,
              pageSize: options.pageSize,
            }),
          'embedded',
        );
        if (options.output) console.error(`exported ${count} rows to ${options.output}`);
      },
    );
  }

  addInvoiceJobCommands(program);
  addDocumentCommands(program, exportCommand);

  const tokens = program.command('tokens').description('manage API tokens');
  withDatabaseOptions(
    tokens
      .command('create')
      .description('create an API token; the token is printed once and only its hash is stored')
      .requiredOption('--name <name>', 'who or what uses the token')
      .addOption(
        new Option('--role <role>', 'what the token may do').choices(ROLES).makeOptionMandatory(),
      )
      .option('--json', 'print as JSON', false),
  ).action(
    async (
      options: DatabaseOptions & { name: string; role: (typeof ROLES)[number]; json: boolean },
    ) => {
      const name = options.name.trim();
      if (!name || name.length > 200)
        throw new CliError('--name must be 1 to 200 characters', EXIT.usage);
      const created = await withDatabase(options, ({ db }) =>
        inTransaction(db, (trx) =>
          createToken({ db: trx, actor: actor() }, { name, role: options.role }),
        ),
      );
      if (options.json) console.log(JSON.stringify(created));
      else
        console.log(
          `token ${created.id} (${created.role}) for ${created.name}:\n${created.token}\nKeep it now: it is not shown again.`,
        );
    },
  );
  withDatabaseOptions(
    tokens
      .command('list')
      .description('list API tokens (never their secrets)')
      .option('--json', 'print as JSON', false),
  ).action(async (options: DatabaseOptions & { json: boolean }) => {
    const items = await withDatabase(options, ({ db }) => listTokens(db), 'embedded');
    if (options.json) console.log(JSON.stringify(items));
    else if (items.length === 0) console.log('no tokens');
    else
      for (const t of items)
        console.log(
          `${t.id}\t${t.role}\t${t.name}\t${t.revokedAt ? `revoked ${t.revokedAt}` : 'active'}`,
        );
  });
  withDatabaseOptions(
    tokens.command('revoke').description('revoke an API token').argument('<id>', 'token id'),
  ).action(async (id: string, options: DatabaseOptions) => {
    await withDatabase(options, ({ db }) =>
      inTransaction(db, (trx) => revokeToken({ db: trx, actor: actor() }, id)),
    );
    console.log(`token ${id} revoked`);
  });

  return program;
}

export async function run(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version print and succeed; any other parse error was already explained.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CliError) {
      console.error(`error: ${error.message}`);
      return error.exitCode;
    }
    if (error instanceof DomainError) {
      console.error(`error: ${error.message} (${error.code})`);
      return EXIT.failed;
    }
    console.error(`error: ${(error as Error)?.message ?? String(error)}`);
    return EXIT.failed;
  }
}
