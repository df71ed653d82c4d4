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
import type { z } from 'zod';
import type { DB } from '../db/schema.js';
import type { ExportRow, ExportView } from './export-views.js';
import { CliError, EXIT } from './exit.js';

export type ExportFormat = 'csv' | 'json';
/** Rows read per page by default: the API's largest page. Memory holds one page at a time. */
export const EXPORT_PAGE = 500;

export const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

interface FilterShape {
  /** The values an enum filter takes. */
  values?: readonly string[];
  /** The API takes the parameter more than once (`?billingStatus=A&billingStatus=B`). */
  repeatable: boolean;
}

/** What a filter's schema accepts, read from the schema itself, for the option's help. */
export function filterShape(schema: z.core.$ZodType): FilterShape {
  const def = schema._zod.def as z.core.$ZodTypeDef & {
    innerType?: z.core.$ZodType;
    in?: z.core.$ZodType;
    options?: z.core.$ZodType[];
    element?: z.core.$ZodType;
    entries?: Record<string, string>;
  };
  switch (def.type) {
    case 'optional':
    case 'default':
      return def.innerType ? filterShape(def.innerType) : { repeatable: false };
    case 'pipe':
      return def.in ? filterShape(def.in) : { repeatable: false };
    case 'enum':
      return { values: Object.values(def.entries ?? {}), repeatable: false };
    case 'array':
      return { ...(def.element ? filterShape(def.element) : {}), repeatable: true };
    case 'union': {
      const shapes = (def.options ?? []).map(filterShape);
      return {
        values: shapes.find((s) => s.values)?.values,
        repeatable: shapes.some((s) => s.repeatable),
      };
    }
    default:
      return { repeatable: false };
  }
}

/** An option's help line: its API name, the values it takes, whether it repeats. */
export function filterHelp(key: string, schema: z.core.$ZodType): string {
  const shape = filterShape(schema);
  return [
    `${key === 'sort' ? 'row order' : 'filter'}: ${key} (as in the API)`,
    shape.values ? `; one of ${shape.values.join(', ')}` : '',
    shape.repeatable ? '; repeat the option for several' : '',
  ].join('');
}

/** The telling message of an issue: for a value-or-list filter, the allowed values. */
function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_union') {
    const inner = issue.errors.flat().find((i) => i.code === 'invalid_value');
    if (inner) return inner.message;
  }
  return issue.message;
}

/** Filter option values → the view's validated query, or a usage error naming each option. */
export function exportFilters(
  view: ExportView,
  given: Record<string, unknown>,
): Record<string, unknown> {
  const picked = Object.fromEntries(
    Object.keys(view.filters.shape)
      .filter((k) => given[k] !== undefined)
      .map((k) => [k, given[k]]),
  );
  const parsed = view.filters.safeParse(picked);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (i) => `  --${kebab(String(i.path[0] ?? ''))}: ${issueText(i)}`,
    );
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
  options: { format: ExportFormat; output?: string; pageSize?: number },
): Promise<number> {
  const file = options.output ? createWriteStream(options.output) : undefined;
  const out: Writable = file ?? process.stdout;
  const csv =
    options.format === 'csv' ? stringify({ header: true, columns: [...view.columns] }) : undefined;
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
        const limit = options.pageSize ?? EXPORT_PAGE;
        const page = await view.list(trx, { ...filters, limit, ...(cursor ? { cursor } : {}) });
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
