/**
 * R83: `export einvoices --date-from D --date-to D [--syntax ubl|cii] [--profile ...] -o DIR`
 * writes one e-invoice per confirmed invoice of the period (`INV-000042.xml`) with a
 * progress bar; the invoices it could not write are listed with their reasons (R81's
 * findings) and the command ends with exit code 1.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { DATE_RANGE_MESSAGE, isDateInRange } from '../domain/calendar.js';
import {
  EINVOICE_PROFILES,
  EINVOICE_SYNTAXES,
  type EinvoiceProfile,
  type EinvoiceSyntax,
} from '../domain/einvoice/model.js';
import type { FieldError } from '../domain/errors.js';
import { einvoiceOf } from '../einvoice/invoice-einvoice.js';
import { confirmedInvoicesDated } from '../repositories/einvoice-export.js';
import { withDatabase, withDatabaseOptions, type DatabaseOptions } from './database.js';
import { CliError, EXIT } from './exit.js';

export interface EinvoiceExportOptions {
  dateFrom: string;
  dateTo: string;
  syntax: EinvoiceSyntax;
  profile: EinvoiceProfile;
  output: string;
  progress: boolean;
}

export interface EinvoiceExportSummary {
  written: number;
  incomplete: { number: string; errors: FieldError[] }[];
}

/** A file name from an invoice number: only its safe characters. */
const fileName = (number: string) => `${number.replace(/[^A-Za-z0-9._-]/g, '_')}.xml`;

export async function exportEinvoices(
  db: Kysely<DB>,
  options: EinvoiceExportOptions,
): Promise<EinvoiceExportSummary> {
  const invoices = await confirmedInvoicesDated(db, options.dateFrom, options.dateTo);
  mkdirSync(options.output, { recursive: true });
  const bar = options.progress
    ? new cliProgress.SingleBar(
        {
          format:
            'e-invoices |{bar}| {value}/{total} | {incomplete} incomplete | eta {eta_formatted}',
          stream: process.stderr,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  const summary: EinvoiceExportSummary = { written: 0, incomplete: [] };
  bar?.start(invoices.length, 0, { incomplete: 0 });
  try {
    for (const invoice of invoices) {
      const out = await einvoiceOf(db, invoice.id, options.syntax, options.profile);
      if (out.ok) {
        writeFileSync(path.join(options.output, fileName(out.number)), out.xml);
        summary.written += 1;
      } else {
        summary.incomplete.push({ number: out.number, errors: out.errors });
      }
      bar?.increment(1, { incomplete: summary.incomplete.length });
    }
  } finally {
    bar?.stop();
  }
  return summary;
}

const isoDate = (flag: string) => (text: string) => {
  if (!isDateInRange(text)) throw new InvalidArgumentError(`${flag} ${DATE_RANGE_MESSAGE}`);
  return text;
};

/** Adds `einvoices` under the `export` command. */
export function addEinvoiceExport(exportCommand: Command): void {
  withDatabaseOptions(
    exportCommand
      .command('einvoices')
      .description(
        'write the EN 16931 e-invoice of every confirmed invoice dated in a period, one file per invoice (R83)',
      )
      .requiredOption(
        '--date-from <date>',
        'first invoice date (YYYY-MM-DD)',
        isoDate('--date-from'),
      )
      .requiredOption('--date-to <date>', 'last invoice date (YYYY-MM-DD)', isoDate('--date-to'))
      .addOption(
        new Option('--syntax <syntax>', 'UBL 2.1 or CII D16B')
          .choices(EINVOICE_SYNTAXES)
          .default('ubl'),
      )
      .addOption(
        new Option('--profile <profile>', 'EN 16931, or Peppol BIS Billing 3.0')
          .choices(EINVOICE_PROFILES)
          .default('en16931'),
      )
      .requiredOption('-o, --output <dir>', 'directory to write the files to (created if missing)'),
  ).action(async (options: DatabaseOptions & Omit<EinvoiceExportOptions, 'progress'>) => {
    if (options.dateFrom > options.dateTo) {
      throw new CliError('--date-from must not be after --date-to', EXIT.usage);
    }
    const summary = await withDatabase(
      options,
      ({ db }) => exportEinvoices(db, { ...options, progress: Boolean(process.stderr.isTTY) }),
      'embedded',
    );
    console.log(`${summary.written} e-invoice(s) written to ${options.output}`);
    if (summary.incomplete.length > 0) {
      console.log(`${summary.incomplete.length} invoice(s) could not be written (R81):`);
      for (const { number, errors } of summary.incomplete) {
        console.log(`  ${number}:`);
        for (const e of errors) console.log(`    ${e.field}: ${e.message}`);
      }
      process.exitCode = EXIT.failed;
    }
  });
}
