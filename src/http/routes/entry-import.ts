/**
 * `POST /entries/import` (approver): a CSV of entries, the same file `import entries`
 * reads, sent as the request body (`text/csv`). The body is streamed to a temporary file
 * (bounded memory, any size up to MAX_UPLOAD_BYTES) and imported by the same code as the
 * CLI, so the rules, the re-run safety (external keys) and the report are the CLI's.
 * A file that does not fit (no header, unknown columns, not CSV) is a 422 on the field `file`
 * (`ImportFileError`, answered by the error handler). The answer is the summary with the bad rows `{line, field, reason}` (the first
 * MAX_LISTED_ERRORS of them; `errorsTruncated` says when there were more).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  IMPORT_MODES,
  importEntriesFile,
  type ImportMode,
} from '../../commands/importEntriesFile.js';
import { DomainError } from '../../domain/errors.js';
import { principalOf } from '../auth.js';
import type { RouteDeps } from './deps.js';

const IMPORT_PATH = '/entries/import';
const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;
const MAX_LISTED_ERRORS = 10_000;

const importQuery = z.object({
  mode: z.enum(IMPORT_MODES as [ImportMode, ...ImportMode[]]).default('skip-bad-rows'),
  approve: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

function sizeLimit(max: number) {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > max) done(new DomainError('PAYLOAD_TOO_LARGE', `the file is over ${max} bytes`));
      else done(null, chunk);
    },
  });
}

async function readErrors(path: string) {
  const errors: { line: number; field: string; reason: string }[] = [];
  let more = false;
  try {
    for await (const record of createReadStream(path).pipe(parse({ columns: true }))) {
      const r = record as { line: string; field: string; reason: string };
      if (errors.length >= MAX_LISTED_ERRORS) {
        more = true;
        break;
      }
      errors.push({ line: Number(r.line), field: r.field, reason: r.reason });
    }
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') throw error;
  }
  return { errors, errorsTruncated: more };
}

export function entryImportRoutes(app: FastifyInstance, { db }: RouteDeps): void {
  // The body is read by the route as a stream, never buffered (nor size-capped at 1 MiB).
  // Every other route still takes JSON only (415 as before).
  app.addContentTypeParser(['text/csv', 'application/octet-stream'], (request, _payload, done) => {
    if (request.routeOptions.url?.endsWith(IMPORT_PATH)) return done(null);
    const error = Object.assign(new Error('unsupported media type'), {
      code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
      statusCode: 415,
    });
    done(error, undefined);
  });

  app.withTypeProvider<ZodTypeProvider>().post(
    IMPORT_PATH,
    {
      config: { permission: 'approve' },
      schema: { tags: ['entries'], querystring: importQuery, consumes: ['text/csv'] },
    },
    async (request) => {
      const { actor } = principalOf(request);
      const dir = await mkdtemp(join(tmpdir(), 'entries-import-'));
      try {
        const file = join(dir, 'upload.csv');
        await pipeline(request.raw, sizeLimit(MAX_UPLOAD_BYTES), createWriteStream(file));
        const errorsPath = join(dir, 'errors.csv');
        const summary = await importEntriesFile(db, file, {
          mode: request.query.mode,
          approve: request.query.approve,
          errorsPath,
          batchSize: 1000,
          actor,
        });
        return {
          mode: summary.mode,
          rows: summary.rows,
          imported: summary.imported,
          skipped: summary.skipped,
          approved: summary.approved,
          badRows: summary.badRows,
          committed: summary.committed,
          ...(await readErrors(errorsPath)),
        };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
}
