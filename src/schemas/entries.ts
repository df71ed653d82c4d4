import { z } from 'zod';
import { REJECTION_REASON_MAX } from '../domain/entries.js';
import { idRef, isoDate, nonEmptyText, quantity, transactionClass, unitPrice } from './common.js';

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

/**
 * R16: the reason is required. A reject with no body at all is read as an empty one, so it
 * too answers 400 naming `reason`.
 */
export const rejectEntryBody = z.preprocess(
  (body) => body ?? {},
  z.strictObject({ reason: nonEmptyText(REJECTION_REASON_MAX) }),
);
