/** R72: add a tax code, checked against its category's rules; a code is unique (CONFLICT). */
import { DomainError } from '../domain/errors.js';
import { formatRate, taxCodeErrors } from '../domain/tax-codes.js';
import { PERCENT_SCALE, parseDecimal } from '../domain/money.js';
import { recordAudit } from '../repositories/audit.js';
import { insertTaxCode, taxCodeIdByCode, type TaxCodeRow } from '../repositories/tax-codes.js';
import type { CreateTaxCodeInput } from '../schemas/tax-codes.js';
import type { CommandContext } from './context.js';

/** The request schema checked the rate's form (≥ 0, two decimals, three digits). */
export function parseRate(text: string): bigint {
  const rate = parseDecimal(text, PERCENT_SCALE, 3);
  if (rate === null) throw new DomainError('VALIDATION_FAILED', `rate ${text} is not a percent`);
  return rate;
}

export async function checkCodeFree(
  ctx: CommandContext,
  code: string,
  exceptId?: string,
): Promise<void> {
  if (await taxCodeIdByCode(ctx.db, code, exceptId)) {
    throw new DomainError('CONFLICT', `tax code ${code} already exists`, [
      { field: 'code', message: 'is already taken' },
    ]);
  }
}

export async function createTaxCode(
  ctx: CommandContext,
  input: CreateTaxCodeInput,
): Promise<TaxCodeRow> {
  const treatment = {
    category: input.category,
    rate: parseRate(input.rate),
    exemptionReason: input.exemptionReason ?? null,
  };
  const errors = taxCodeErrors(treatment);
  if (errors.length > 0) {
    throw new DomainError('VALIDATION_FAILED', 'the tax code breaks R72', errors);
  }
  await checkCodeFree(ctx, input.code);
  const row = await insertTaxCode(ctx.db, {
    code: input.code,
    name: input.name,
    category: treatment.category,
    rate: formatRate(treatment.rate),
    exemption_reason: treatment.exemptionReason,
  });
  await recordAudit(ctx.db, [
    { actor: ctx.actor, action: 'createTaxCode', entityType: 'TaxCode', entityId: row.id },
  ]);
  return row;
}
