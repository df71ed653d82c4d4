/**
 * R90: change a contract's own fields and a contract customer's not-to-exceed limit,
 * audited field by field. A changed limit never touches existing NTE statuses: it applies
 * from the next evaluation (re-evaluate, R26, to release `Failed` actuals).
 *
 * Each PATCH field is one planner in `CONTRACT_FIELDS`: a new contract field is one more
 * entry (its schema field, its column, its audit text), nothing else changes.
 */
import type { Updateable } from 'kysely';
import type { ContractsTable } from '../db/schema.js';
import { amountField } from '../domain/contract-setup.js';
import { DomainError, notFound, type FieldError } from '../domain/errors.js';
import { currencyExponent, formatDecimal } from '../domain/money.js';
import {
  collectChanges,
  failIfAny,
  fieldChange,
  type FieldChange,
} from '../domain/setup-changes.js';
import { recordAudit } from '../repositories/audit.js';
import { setContractCustomerLimit, updateContractRow } from '../repositories/contract-changes.js';
import { findContractRow, loadContract, type ContractRow } from '../repositories/contracts.js';
import type { CommandContext } from './context.js';

export interface ChangeContractInput {
  name?: string;
  /** Null removes the contract-level limit. */
  notToExceed?: string | null;
  /** R75: null removes them. */
  purchaseOrder?: string | null;
  buyerReference?: string | null;
  paymentTermsDays?: number | null;
}

interface PlannedField {
  values: Updateable<ContractsTable>;
  change: FieldChange | null;
}

type ContractFieldPlanner = (
  patch: ChangeContractInput,
  row: ContractRow,
  errors: FieldError[],
) => PlannedField | null;

const limitText = (units: bigint | string | null, exponent: number) =>
  units === null ? null : formatDecimal(BigInt(units), exponent);

/** Parses a limit that may be null (removed); undefined when the field was not sent. */
export function limitPatch(
  value: string | null | undefined,
  exponent: number,
  field: string,
  errors: FieldError[],
): { limit: bigint | null } | undefined {
  if (value === undefined) return undefined;
  if (value === null) return { limit: null };
  const limit = amountField(value, exponent, field, errors);
  return limit === null ? undefined : { limit };
}

/** A contract reference or term (R75), stored as given; drafts made later take it. */
const termPlanner =
  (
    field: 'purchaseOrder' | 'buyerReference' | 'paymentTermsDays',
    column: 'purchase_order' | 'buyer_reference' | 'payment_terms_days',
  ): ContractFieldPlanner =>
  (patch, row) => {
    const value = patch[field];
    if (value === undefined) return null;
    const text = (v: string | number | null) => (v === null ? null : String(v));
    return {
      values: { [column]: value },
      change: fieldChange(field, text(row[column]), text(value)),
    };
  };

const CONTRACT_FIELDS: readonly ContractFieldPlanner[] = [
  (patch, row) =>
    patch.name === undefined
      ? null
      : { values: { name: patch.name }, change: fieldChange('name', row.name, patch.name) },
  (patch, row, errors) => {
    const exponent = currencyExponent(row.currency);
    const planned = limitPatch(patch.notToExceed, exponent, 'notToExceed', errors);
    if (!planned) return null;
    return {
      values: { nte_limit: planned.limit },
      change: fieldChange(
        'notToExceed',
        limitText(row.nte_limit, exponent),
        limitText(planned.limit, exponent),
      ),
    };
  },
  termPlanner('purchaseOrder', 'purchase_order'),
  termPlanner('buyerReference', 'buyer_reference'),
  termPlanner('paymentTermsDays', 'payment_terms_days'),
];

export async function changeContract(
  ctx: CommandContext,
  contractId: string,
  patch: ChangeContractInput,
): Promise<FieldChange[]> {
  const row = await findContractRow(ctx.db, contractId, { forUpdate: true });
  if (!row) throw notFound('contract', contractId);
  const errors: FieldError[] = [];
  const planned = CONTRACT_FIELDS.map((plan) => plan(patch, row, errors)).filter(
    (p): p is PlannedField => p !== null,
  );
  failIfAny(errors);
  await updateContractRow(
    ctx.db,
    row.id,
    Object.assign({}, ...planned.map((p) => p.values)) as Updateable<ContractsTable>,
  );
  const changes = collectChanges(planned.map((p) => p.change));
  await auditChanges(ctx, 'changeContract', 'Contract', row.id, row.id, changes);
  return changes;
}

/** R20 level 3: the contract customer's limit (null removes it). */
export async function changeContractCustomer(
  ctx: CommandContext,
  contractId: string,
  customerId: string,
  patch: { notToExceed?: string | null },
): Promise<FieldChange[]> {
  const row = await findContractRow(ctx.db, contractId, { forUpdate: true });
  if (!row) throw notFound('contract', contractId);
  const record = await loadContract(ctx.db, row.id);
  const customer = record?.customers.find((c) => c.customer_id === customerId);
  if (!customer) {
    throw new DomainError('NOT_FOUND', `customer ${customerId} is not on contract ${contractId}`);
  }
  const exponent = currencyExponent(row.currency);
  const errors: FieldError[] = [];
  const planned = limitPatch(patch.notToExceed, exponent, 'notToExceed', errors);
  failIfAny(errors);
  if (!planned) return [];
  await setContractCustomerLimit(ctx.db, row.id, customerId, planned.limit);
  const changes = collectChanges([
    fieldChange(
      'notToExceed',
      limitText(customer.nte_limit, exponent),
      limitText(planned.limit, exponent),
    ),
  ]);
  await auditChanges(
    ctx,
    'changeContractCustomer',
    'ContractCustomer',
    customer.id,
    row.id,
    changes,
  );
  return changes;
}

export async function auditChanges(
  ctx: CommandContext,
  action: string,
  entityType: string,
  entityId: string,
  contractId: string,
  changes: readonly FieldChange[],
): Promise<void> {
  if (changes.length === 0) return;
  await recordAudit(
    ctx.db,
    changes.map((c) => ({
      actor: ctx.actor,
      action,
      entityType,
      entityId,
      contractId,
      field: c.field,
      from: c.from,
      to: c.to,
    })),
  );
}
