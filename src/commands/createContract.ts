import { DomainError, type FieldError } from '../domain/errors.js';
import { amountField, planSplits } from '../domain/contract-setup.js';
import {
  currencyExponent,
  formatDecimal,
  isKnownCurrency,
  PERCENT_SCALE,
} from '../domain/money.js';
import { recordAudit } from '../repositories/audit.js';
import { insertContract, insertContractCustomers } from '../repositories/contracts.js';
import { existingCustomerIds } from '../repositories/customers.js';
import type { CommandContext } from './context.js';

export interface CreateContractInput {
  name: string;
  currency: string;
  customers: {
    customerId: string;
    billingSplitPercent?: string;
    isRounding?: boolean;
    notToExceed?: string;
  }[];
  notToExceed?: string;
  purchaseOrder?: string;
  buyerReference?: string;
  paymentTermsDays?: number;
}

export async function createContract(
  ctx: CommandContext,
  input: CreateContractInput,
): Promise<string> {
  if (!isKnownCurrency(input.currency)) {
    throw new DomainError('VALIDATION_FAILED', `unknown currency ${input.currency}`, [
      {
        field: 'currency',
        message: 'must be an ISO 4217 currency code this product knows (e.g. USD, EUR, JPY, KWD)',
      },
    ]);
  }
  const exponent = currencyExponent(input.currency);
  const errors: FieldError[] = [];
  const limit = amountField(input.notToExceed, exponent, 'notToExceed', errors);
  const known = await existingCustomerIds(
    ctx.db,
    input.customers.map((c) => c.customerId),
  );
  input.customers.forEach((c, i) => {
    if (!known.has(c.customerId)) {
      errors.push({
        field: `customers.${i}.customerId`,
        message: `customer ${c.customerId} does not exist`,
      });
    }
  });
  const splits = planSplits(
    input.customers.map((c) => ({
      customerId: c.customerId,
      percent: c.billingSplitPercent,
      isRounding: c.isRounding,
      notToExceed: c.notToExceed,
    })),
    exponent,
    'customers',
  );
  if (errors.length > 0) {
    throw new DomainError(
      'VALIDATION_FAILED',
      errors.map((e) => `${e.field} ${e.message}`).join('; '),
      errors,
    );
  }
  const contractId = await insertContract(ctx.db, {
    name: input.name,
    currency: input.currency,
    nte_limit: limit,
    purchase_order: input.purchaseOrder ?? null,
    buyer_reference: input.buyerReference ?? null,
    payment_terms_days: input.paymentTermsDays ?? null,
  });
  await insertContractCustomers(
    ctx.db,
    splits.map((s, position) => ({
      contract_id: contractId,
      customer_id: s.customerId,
      split_percent: formatDecimal(s.percent, PERCENT_SCALE),
      is_rounding: s.isRounding,
      nte_limit: s.notToExceed,
      position,
    })),
  );
  await recordAudit(ctx.db, [
    {
      actor: ctx.actor,
      action: 'createContract',
      entityType: 'Contract',
      entityId: contractId,
      contractId,
    },
  ]);
  return contractId;
}
