/**
 * `import entries --server URL --token T`: the file goes to a running server's
 * `POST /api/v1/entries/import`, streamed (the server owns its embedded database, so this is
 * how the default install imports while it serves). The summary and the error report are
 * the same as a local import's.
 */
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { CliError, EXIT } from './exit.js';
import type { ImportMode, ImportSummary } from '../commands/importEntriesFile.js';

export interface ServerImportOptions {
  server: string;
  token: string;
  mode: ImportMode;
  approve: boolean;
  errorsPath?: string;
}

interface ServerAnswer extends Omit<ImportSummary, 'peakRssMiB' | 'previousRun'> {
  errors: { line: number; field: string; reason: string }[];
  errorsTruncated: boolean;
}

async function writeReport(path: string, errors: ServerAnswer['errors']): Promise<void> {
  const file = createWriteStream(path);
  const csv = stringify({ header: true, columns: ['line', 'field', 'reason'] });
  csv.pipe(file);
  for (const e of errors) csv.write([e.line, e.field, e.reason]);
  csv.end();
  await finished(file);
}

export async function importThroughServer(
  file: string,
  options: ServerImportOptions,
  summary: ImportSummary,
): Promise<ServerAnswer> {
  try {
    statSync(file);
  } catch {
    throw new CliError(`cannot read ${file}: no such file`, EXIT.usage);
  }
  const url = new URL('/api/v1/entries/import', options.server);
  url.searchParams.set('mode', options.mode);
  url.searchParams.set('approve', String(options.approve));
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.token}`, 'content-type': 'text/csv' },
      body: Readable.toWeb(createReadStream(file)) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
  } catch (error) {
    throw new CliError(
      `cannot reach the server at ${options.server}: ${(error as Error).message}`,
      EXIT.usage,
    );
  }
  const body = (await res.json().catch(() => ({}))) as Partial<ServerAnswer> & {
    detail?: string;
  };
  if (!res.ok) {
    const exit = res.status === 401 || res.status === 403 ? EXIT.usage : EXIT.failed;
    throw new CliError(
      `the server refused the import (${res.status}): ${body.detail ?? 'no detail'}`,
      exit,
    );
  }
  const answer = body as ServerAnswer;
  Object.assign(summary, {
    rows: answer.rows,
    imported: answer.imported,
    skipped: answer.skipped,
    approved: answer.approved,
    badRows: answer.badRows,
    committed: answer.committed,
  });
  if (options.errorsPath) await writeReport(options.errorsPath, answer.errors);
  return answer;
}
