import { DomainError } from '../domain/errors.js';
import {
  currencyExponent,
  extendAmount,
  formatDecimal,
  MAX_AMOUNT_DIGITS,
  parseDecimal,
  pow10,
  QUANTITY_SCALE,
  UNIT_PRICE_SCALE,
} from '../domain/money.js';
import type { TransactionClass } from '../domain/vocabulary.js';
import { recordAudit } from '../repositories/audit.js';
import { findContractRow, findLine, type ContractLineRow } from '../repositories/contracts.js';
import { insertEntry, type EntryRow } from '../repositories/entries.js';
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

/**
 * Why a line cannot take an entry of this class, or nothing when it can: the line must exist
 * and (R12) include the class. Shared by single submission and the CSV import.
 */
export function lineRefusesEntry(
  contractLineId: string,
  line: Pick<ContractLineRow, 'id' | 'transaction_classes'> | undefined,
  transactionClass: TransactionClass,
): DomainError | undefined {
  if (!line) {
    return new DomainError('VALIDATION_FAILED', `contract line ${contractLineId} does not exist`, [
      { field: 'contractLineId', message: 'names no contract line' },
    ]);
  }
  // R12: the line decides which classes of work it bills.
  if (!line.transaction_classes.includes(transactionClass)) {
    return new DomainError(
      'VALIDATION_FAILED',
      `contract line ${line.id} does not include ${transactionClass} (it includes ${line.transaction_classes.join(', ')})`,
      [{ field: 'transactionClass', message: 'is not included on this contract line' }],
    );
  }
  return undefined;
}

/**
 * §2: quantity × unit price must fit the ledger, which holds amounts below 10^15 minor units
 * (`MAX_AMOUNT_DIGITS`, the same bound approval applies). Checked at submission so an entry
 * that is accepted can always be approved. Shared by single submission and the CSV import.
 */
export function entryAmountRefusal(
  input: Pick<SubmitEntryInput, 'quantity' | 'unitPrice'>,
  currency: string,
): DomainError | undefined {
  const quantity = parseDecimal(input.quantity, QUANTITY_SCALE);
  const unitPrice = parseDecimal(input.unitPrice, UNIT_PRICE_SCALE);
  if (quantity === null || unitPrice === null) return undefined;
  const exponent = currencyExponent(currency);
  const limit = pow10(MAX_AMOUNT_DIGITS);
  if (extendAmount(quantity, unitPrice, exponent) < limit) return undefined;
  const largest = `${formatDecimal(limit - 1n, exponent)} ${currency}`;
  return new DomainError(
    'VALIDATION_FAILED',
    `quantity × unitPrice is more than the ledger can hold (at most ${largest})`,
    [
      {
        field: 'quantity',
        message: `quantity × unitPrice must be at most ${largest} (the ledger holds ${MAX_AMOUNT_DIGITS} digits in minor units)`,
      },
    ],
  );
}

export async function submitEntry(ctx: CommandContext, input: SubmitEntryInput): Promise<EntryRow> {
  const line = await findLine(ctx.db, input.contractLineId);
  const refused = lineRefusesEntry(input.contractLineId, line?.line, input.transactionClass);
  if (refused || !line) throw refused;
  const contract = await findContractRow(ctx.db, line.line.contract_id);
  const tooLarge = contract && entryAmountRefusal(input, contract.currency);
  if (tooLarge) throw tooLarge;
  const entry = await insertEntry(ctx.db, {
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
  });
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
