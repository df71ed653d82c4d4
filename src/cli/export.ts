/**
 * `export <view>`: every row of a view that matches the API's filters, page by page through
 * the same keyset list the API serves, written as CSV or a JSON array to stdout or a file.
 * The pages are read in one read-only snapshot, so a long export is consistent.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { ExportRow, ExportView } from './export-views.js';
import { CliError, EXIT } from './exit.js';

export type ExportFormat = 'csv' | 'json';
const PAGE = 500;

export const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Filter option values → the view's validated query, or a usage error naming each option. */
export function exportFilters(view: ExportView, given: Record<string, unknown>): Record<string, unknown> {
  const picked = Object.fromEntries(
    Object.keys(view.filters.shape)
      .filter((k) => given[k] !== undefined)
      .map((k) => [k, given[k]]),
  );
  const parsed = view.filters.safeParse(picked);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  --${kebab(String(i.path[0] ?? ''))}: ${i.message}`);
    throw new CliError(`invalid filter:\n${lines.join('\n')}`, EXIT.usage);
  }
  return parsed.data as Record<string, unknown>;
}

async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));

export async function exportView(
  db: Kysely<DB>,
  view: ExportView,
  filters: Record<string, unknown>,
  options: { format: ExportFormat; output?: string },
): Promise<number> {
  const file = options.output ? createWriteStream(options.output) : undefined;
  const out: Writable = file ?? process.stdout;
  const csv = options.format === 'csv' ? stringify({ header: true, columns: [...view.columns] }) : undefined;
  if (csv) csv.pipe(out, { end: false });
  let count = 0;
  const emit = async (row: ExportRow) => {
    if (csv) {
      if (!csv.write(view.columns.map((c) => cell(row[c])))) await once(csv, 'drain');
    } else {
      await write(out, `${count === 0 ? '[\n' : ',\n'}${JSON.stringify(row)}`);
    }
    count++;
  };
  await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      let cursor: string | undefined;
      do {
        const page = await view.list(trx, { ...filters, limit: PAGE, ...(cursor ? { cursor } : {}) });
        for (const row of page.items) await emit(row);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    });
  if (csv) {
    csv.end();
    await finished(csv);
  } else {
    await write(out, count === 0 ? '[]\n' : '\n]\n');
  }
  if (file) {
    file.end();
    await finished(file);
  }
  return count;
}
