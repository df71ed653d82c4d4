import { z } from 'zod';
import { idRef, isoDate, quantity, transactionClass, unitPrice } from './common.js';

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
