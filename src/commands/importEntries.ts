/**
 * One batch of a bulk entry import: every row is checked against its contract line (R12)
 * like a single submission, the good rows are inserted with one statement and audited
 * (R35), and each is approved when asked. Rows a line refuses are answered with their line
 * number; the caller decides whether that aborts the import.
 */
import type { TransactionClass } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import { recordAudit } from '../repositories/audit.js';
import { findContractRow, findLine } from '../repositories/contracts.js';
import { approveEntries } from './approveEntries.js';
import type { CommandContext } from './context.js';
import { entryAmountRefusal, lineRefusesEntry, type SubmitEntryInput } from './submitEntry.js';

export interface ImportRow {
  /** Line number in the source file, for the error report. */
  line: number;
  input: SubmitEntryInput;
}

export interface RowError {
  line: number;
  field: string;
  reason: string;
}

export interface ImportBatchResult {
  imported: number;
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
  if (accepted.length === 0) return { imported: 0, approved: 0, errors };

  const inserted = await ctx.db
    .insertInto('entries')
    .values(
      accepted.map(({ row: { input }, contractId }) => ({
        contract_id: contractId,
        contract_line_id: input.contractLineId,
        transaction_class: input.transactionClass,
        date: input.date,
        quantity: input.quantity,
        unit_price: input.unitPrice,
        billable_quantity: null,
        resource: input.resource ?? null,
        role: input.role ?? null,
        category: input.category ?? null,
        description: input.description ?? null,
        status: 'Submitted' as const,
      })),
    )
    .returning(['id', 'contract_id'])
    .execute();
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
    // Rows come back in the order given (one INSERT … VALUES), so ids match `accepted`.
    // One set-based approval for the batch, each entry answered on its own.
    const outcomes = await approveEntries(
      ctx,
      inserted.map((entry) => ({ entryId: entry.id })),
    );
    outcomes.forEach((outcome, i) => {
      if (outcome.ok) approved++;
      else errors.push(...errorsOf(accepted[i]?.row.line ?? 0, outcome.error));
    });
  }
  errors.sort((a, b) => a.line - b.line);
  return { imported: inserted.length, approved, errors };
}
