/**
 * One batch of a bulk entry import: every row is checked against its contract line (R12)
 * like a single submission, the good rows are inserted with one statement and audited
 * (R35), and each is approved when asked. Rows a line refuses are answered with their line
 * number; the caller decides whether that aborts the import.
 *
 * Issue 19: each row carries an external key; a row whose key its contract already has was
 * imported before and is skipped (counted, not created again, not approved again).
 */
import type { TransactionClass } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import { recordAudit } from '../repositories/audit.js';
import { findContractRow, findLine } from '../repositories/contracts.js';
import { insertImportedEntries } from '../repositories/entries.js';
import { approveEntries } from './approveEntries.js';
import type { CommandContext } from './context.js';
import { entryAmountRefusal, lineRefusesEntry, type SubmitEntryInput } from './submitEntry.js';

export interface ImportRow {
  /** Line number in the source file, for the error report. */
  line: number;
  input: SubmitEntryInput;
  /** The CSV's `externalKey`, or one derived from the file's content hash and the line. */
  externalKey: string;
}

export interface RowError {
  line: number;
  field: string;
  reason: string;
}

export interface ImportBatchResult {
  imported: number;
  /** Rows whose external key was already imported: nothing created. */
  skipped: number;
  approved: number;
  errors: RowError[];
}

interface KnownLine {
  id: string;
  contract_id: string;
  transaction_classes: TransactionClass[];
  currency: string;
}

/**
 * Contract lines seen so far in one import, so a file of 100,000 rows on a few lines costs a
 * few lookups. Bounded: it forgets everything past `max` distinct lines.
 */
export class LineCache {
  private readonly known = new Map<string, KnownLine | null>();
  constructor(private readonly max = 10_000) {}

  async get(ctx: CommandContext, id: string): Promise<KnownLine | undefined> {
    if (!this.known.has(id)) {
      if (this.known.size >= this.max) this.known.clear();
      const found = await findLine(ctx.db, id);
      const contract = found && (await findContractRow(ctx.db, found.line.contract_id));
      this.known.set(id, found && contract ? { ...found.line, currency: contract.currency } : null);
    }
    return this.known.get(id) ?? undefined;
  }
}

const errorsOf = (line: number, error: DomainError): RowError[] =>
  error.errors?.length
    ? error.errors.map((e) => ({ line, field: e.field, reason: e.message }))
    : [{ line, field: '', reason: error.message }];

export async function importEntryBatch(
  ctx: CommandContext,
  rows: readonly ImportRow[],
  opts: { approve: boolean; lines: LineCache },
): Promise<ImportBatchResult> {
  const errors: RowError[] = [];
  const accepted: { row: ImportRow; contractId: string }[] = [];
  for (const row of rows) {
    const line = await opts.lines.get(ctx, row.input.contractLineId);
    const refused =
      lineRefusesEntry(row.input.contractLineId, line, row.input.transactionClass) ??
      (line && entryAmountRefusal(row.input, line.currency));
    if (refused || !line) {
      if (refused) errors.push(...errorsOf(row.line, refused));
      continue;
    }
    accepted.push({ row, contractId: line.contract_id });
  }
  if (accepted.length === 0) return { imported: 0, skipped: 0, approved: 0, errors };

  const inserted = await insertImportedEntries(
    ctx.db,
    accepted.map(({ row: { input, externalKey }, contractId }) => ({
      ...input,
      contractId,
      externalKey,
    })),
  );
  // R35: an entry's creation is audited whichever way it arrives.
  await recordAudit(
    ctx.db,
    inserted.map((e) => ({
      actor: ctx.actor,
      action: 'importEntry',
      entityType: 'Entry',
      entityId: e.id,
      contractId: e.contract_id,
      to: 'Submitted',
    })),
  );

  let approved = 0;
  if (opts.approve) {
    // Only what this run created is approved (a skipped row was handled by its own run).
    // One set-based approval for the batch, each entry answered on its own.
    const lineOf = new Map(
      accepted.map(({ row, contractId }) => [`${contractId}/${row.externalKey}`, row.line]),
    );
    const outcomes = await approveEntries(
      ctx,
      inserted.map((entry) => ({ entryId: entry.id })),
    );
    outcomes.forEach((outcome, i) => {
      const entry = inserted[i]!;
      if (outcome.ok) approved++;
      else
        errors.push(
          ...errorsOf(lineOf.get(`${entry.contract_id}/${entry.external_key}`) ?? 0, outcome.error),
        );
    });
  }
  errors.sort((a, b) => a.line - b.line);
  return {
    imported: inserted.length,
    skipped: accepted.length - inserted.length,
    approved,
    errors,
  };
}
