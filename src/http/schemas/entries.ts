import { z } from 'zod';
import { idRef, isoDate, listSchemas, quantity, transactionClass, unitPrice } from './common.js';

const text = z.string().max(2000).optional();

export const submitEntryBody = z.strictObject({
  contractLineId: idRef,
  transactionClass,
  date: isoDate,
  quantity: quantity('positive'),
  unitPrice,
  resource: text,
  role: text,
  category: text,
  description: text,
});

export const approveEntryBody = z
  .strictObject({ billableQuantity: quantity('nonNegative').optional() })
  .optional()
  .default({});

/** Filters over entries (the CLI export uses them; a list route would take `entriesQuery`). */
export const { filters: entriesFilters, query: entriesQuery } = listSchemas({
  contractId: z.string().max(40).optional(),
  contractLineId: z.string().max(40).optional(),
  status: z.enum(['Submitted', 'Approved']).optional(),
  transactionClass: transactionClass.optional(),
  dateFrom: isoDate.optional(),
  dateTo: isoDate.optional(),
});
