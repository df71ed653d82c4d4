/**
 * R72: change a tax code. The merged code must still follow its category's rules; once the
 * code is on any invoice, its category, rate and exemption reason stay as they are
 * (TAX_CODE_IN_USE: a new rate is a new code), while its code and name may change.
 */
import { DomainError, notFound } from '../domain/errors.js';
import {
  formatRate,
  inUseChanges,
  storedRate,
  taxCodeErrors,
  type TaxTreatment,
} from '../domain/tax-codes.js';
import { recordAudit } from '../repositories/audit.js';
import {
  findTaxCode,
  updateTaxCode as updateTaxCodeRow,
  type TaxCodeRow,
} from '../repositories/tax-codes.js';
import type { UpdateTaxCodeInput } from '../schemas/tax-codes.js';
import type { CommandContext } from './context.js';
import { checkCodeFree, parseRate } from './createTaxCode.js';

export async function updateTaxCode(
  ctx: CommandContext,
  id: string,
  input: UpdateTaxCodeInput,
): Promise<TaxCodeRow> {
  // Locked FOR UPDATE: no invoice detail can take this code until the change commits.
  const current = await findTaxCode(ctx.db, id, { forUpdate: true });
  if (!current) throw notFound('tax code', id);
  const before: TaxTreatment = {
    category: current.category,
    rate: storedRate(current.rate),
    exemptionReason: current.exemption_reason,
  };
  const after: TaxTreatment = {
    category: input.category ?? before.category,
    rate: input.rate === undefined ? before.rate : parseRate(input.rate),
    exemptionReason:
      input.exemptionReason === undefined ? before.exemptionReason : input.exemptionReason,
  };
  if (current.in_use) {
    const changed = inUseChanges(before, after);
    if (changed.length > 0) {
      throw new DomainError(
        'TAX_CODE_IN_USE',
        `tax code ${current.code} is on an invoice: its ${changed.join(', ')} can no longer change; create a new code`,
        changed.map((field) => ({ field, message: 'cannot change while the code is in use' })),
      );
    }
  }
  const errors = taxCodeErrors(after);
  if (errors.length > 0) {
    throw new DomainError('VALIDATION_FAILED', 'the tax code breaks R72', errors);
  }
  const code = input.code ?? current.code;
  if (code !== current.code) await checkCodeFree(ctx, code, id);
  const row = await updateTaxCodeRow(ctx.db, id, {
    code,
    name: input.name ?? current.name,
    category: after.category,
    rate: formatRate(after.rate),
    exemption_reason: after.exemptionReason,
  });
  await recordAudit(ctx.db, [
    { actor: ctx.actor, action: 'updateTaxCode', entityType: 'TaxCode', entityId: id },
  ]);
  return row;
}
