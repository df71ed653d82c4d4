/**
 * Create one retainer or advance on a contract customer (R50). It starts NotReadyToInvoice
 * and has nothing available until it is invoiced and the invoice confirmed (R51).
 */
import type { ContractCustomersTable, RetainerKind } from '../db/schema.js';
import type { Selectable } from 'kysely';
import { DomainError, notFound, type FieldError } from '../domain/errors.js';
import { currencyExponent, parseDecimal } from '../domain/money.js';
import { recordAudit } from '../repositories/audit.js';
import { findContractRow } from '../repositories/contracts.js';
import {
  findContractCustomer,
  insertRetainers,
  type NewRetainer,
  type RetainerRow,
} from '../repositories/retainers.js';
import type { CommandContext } from './context.js';
import { findTaxCode } from '../repositories/tax-codes.js';

export interface CreateRetainerInput {
  contractId: string;
  customerId: string;
  kind: RetainerKind;
  amount: string;
  date: string;
  description?: string;
  taxCodeId?: string;
}

export interface RetainerTarget {
  currency: string;
  contractCustomer: Selectable<ContractCustomersTable>;
  /** The amount in the contract currency's minor units. */
  units: bigint;
}

/**
 * The checks every retainer creation shares: the contract exists (404), the customer is one
 * of its customers, the amount fits the currency and is above zero. All field problems are
 * reported together.
 */
export async function retainerTarget(
  ctx: CommandContext,
  input: { contractId: string; customerId: string; amount: string },
  amountField: string,
  errors: FieldError[],
): Promise<RetainerTarget | undefined> {
  const contract = await findContractRow(ctx.db, input.contractId);
  if (!contract) throw notFound('contract', input.contractId);
  const exponent = currencyExponent(contract.currency);
  const contractCustomer = await findContractCustomer(ctx.db, contract.id, input.customerId);
  if (!contractCustomer) {
    errors.push({
      field: 'customerId',
      message: `customer ${input.customerId} is not on contract ${contract.id}`,
    });
  }
  const units = parseDecimal(input.amount, exponent, 13);
  if (units === null) {
    errors.push({
      field: amountField,
      message: `must have at most ${exponent} decimals in ${contract.currency}`,
    });
  } else if (units <= 0n) {
    errors.push({ field: amountField, message: 'must be greater than 0' });
  }
  if (!contractCustomer || units === null || units <= 0n) return undefined;
  return { currency: contract.currency, contractCustomer, units };
}

export function refuse(errors: FieldError[]): never {
  throw new DomainError(
    'VALIDATION_FAILED',
    errors.map((e) => `${e.field} ${e.message}`).join('; '),
    errors,
  );
}

export function newRetainer(
  target: RetainerTarget,
  input: { kind: RetainerKind; description?: string; taxCodeId?: string },
  units: bigint,
  date: string,
): NewRetainer {
  return {
    contract_id: target.contractCustomer.contract_id,
    contract_customer_id: target.contractCustomer.id,
    customer_id: target.contractCustomer.customer_id,
    kind: input.kind,
    amount: units,
    date,
    description: input.description ?? null,
    tax_code_id: input.taxCodeId ?? null,
  };
}

/** R35: creating a retainer is recorded with its initial status. */
export async function auditCreated(
  ctx: CommandContext,
  action: string,
  rows: readonly RetainerRow[],
): Promise<void> {
  await recordAudit(
    ctx.db,
    rows.map((r) => ({
      actor: ctx.actor,
      action,
      entityType: 'Retainer',
      entityId: r.id,
      contractId: r.contract_id,
      to: r.billing_status,
    })),
  );
}

export async function createRetainer(
  ctx: CommandContext,
  input: CreateRetainerInput,
): Promise<RetainerRow> {
  const errors: FieldError[] = [];
  const target = await retainerTarget(ctx, input, 'amount', errors);
  await checkRetainerTaxCode(ctx, input.taxCodeId, errors);
  if (!target || errors.length > 0) refuse(errors);
  const [row] = await insertRetainers(ctx.db, [
    newRetainer(target, input, target.units, input.date),
  ]);
  if (!row) throw new Error('created retainer vanished');
  await auditCreated(ctx, 'createRetainer', [row]);
  return row;
}

/** R72: a retainer may name a tax code (its detail's code, R73); it must exist. */
export async function checkRetainerTaxCode(
  ctx: CommandContext,
  taxCodeId: string | undefined,
  errors: FieldError[],
): Promise<void> {
  if (taxCodeId && !(await findTaxCode(ctx.db, taxCodeId))) {
    errors.push({ field: 'taxCodeId', message: `tax code ${taxCodeId} does not exist` });
  }
}
