import { z } from 'zod';
import {
  amount,
  billingMethod,
  idRef,
  isoDate,
  nonEmptyText,
  percent,
  transactionClass,
} from './common.js';

export const createContractBody = z.strictObject({
  name: nonEmptyText(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 code such as USD'),
  customers: z
    .array(
      z.strictObject({
        customerId: idRef,
        billingSplitPercent: percent.optional(),
        isRounding: z.boolean().optional(),
        notToExceed: amount().optional(),
      }),
    )
    .min(1, 'must name at least one customer')
    .max(100),
  notToExceed: amount().optional(),
});

export const addLineBody = z.strictObject({
  name: nonEmptyText(),
  billingMethod,
  transactionClasses: z.array(transactionClass).max(4).optional(),
  contractedAmount: amount().optional(),
  notToExceed: amount().optional(),
  customers: z
    .array(
      z.strictObject({
        customerId: idRef,
        billingSplitPercent: percent,
        isRounding: z.boolean().optional(),
        notToExceed: amount().optional(),
      }),
    )
    .min(1)
    .max(100)
    .optional(),
  invoiceSchedule: z
    .array(z.strictObject({ runDate: isoDate, cutoffDate: isoDate.optional() }))
    .max(1000)
    .optional(),
});

export const listContractsQuery = z.strictObject({
  customerId: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(1000).optional(),
});
