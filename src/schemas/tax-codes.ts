/** R72: request bodies of `/tax-codes`. Category rules are the domain's (src/domain/tax-codes.ts). */
import { z } from 'zod';
import { VAT_CATEGORIES } from '../domain/vocabulary.js';
import { nonEmptyText, percent } from './common.js';

const code = nonEmptyText(30);
const category = z.enum(VAT_CATEGORIES);
/** Absent or null: none. */
const exemptionReason = nonEmptyText(500).nullable();

export const createTaxCodeBody = z.strictObject({
  code,
  name: nonEmptyText(),
  category,
  rate: percent,
  exemptionReason: exemptionReason.optional(),
});

export const updateTaxCodeBody = z.strictObject({
  code: code.optional(),
  name: nonEmptyText().optional(),
  category: category.optional(),
  rate: percent.optional(),
  exemptionReason: exemptionReason.optional(),
});

export type CreateTaxCodeInput = z.output<typeof createTaxCodeBody>;
export type UpdateTaxCodeInput = z.output<typeof updateTaxCodeBody>;
