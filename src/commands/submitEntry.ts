import { DomainError } from '../domain/errors.js';
import type { TransactionClass } from '../db/schema.js';
import { recordAudit } from '../repositories/audit.js';
import { findLine } from '../repositories/contracts.js';
import type { EntryRow } from '../repositories/entries.js';
import type { CommandContext } from './context.js';

export interface SubmitEntryInput {
  contractLineId: string;
  transactionClass: TransactionClass;
  date: string;
  quantity: string;
  unitPrice: string;
  resource?: string;
  role?: string;
  category?: string;
  description?: string;
}

export async function submitEntry(ctx: CommandContext, input: SubmitEntryInput): Promise<EntryRow> {
  const line = await findLine(ctx.db, input.contractLineId);
  if (!line) {
    throw new DomainError('VALIDATION_FAILED', `contract line ${input.contractLineId} does not exist`, [
      { field: 'contractLineId', message: 'names no contract line' },
    ]);
  }
  // R12: the line decides which classes of work it bills.
  if (!line.line.transaction_classes.includes(input.transactionClass)) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `contract line ${line.line.id} does not include ${input.transactionClass} (it includes ${line.line.transaction_classes.join(', ')})`,
      [{ field: 'transactionClass', message: 'is not included on this contract line' }],
    );
  }
  const entry = await ctx.db
    .insertInto('entries')
    .values({
      contract_id: line.line.contract_id,
      contract_line_id: line.line.id,
      transaction_class: input.transactionClass,
      date: input.date,
      quantity: input.quantity,
      unit_price: input.unitPrice,
      billable_quantity: null,
      resource: input.resource ?? null,
      role: input.role ?? null,
      category: input.category ?? null,
      description: input.description ?? null,
      status: 'Submitted',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(ctx.db, [
    {
      actor: ctx.actor,
      action: 'submitEntry',
      entityType: 'Entry',
      entityId: entry.id,
      contractId: entry.contract_id,
      to: 'Submitted',
    },
  ]);
  return entry;
}
