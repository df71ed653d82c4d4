import { z } from 'zod';
import { ENTRY_STATUSES } from '../../domain/vocabulary.js';
import { REJECTION_REASON_MAX } from '../../domain/entries.js';
import {
  idRef,
  isoDate,
  listSchemas,
  nonEmptyText,
  quantity,
  transactionClass,
  unitPrice,
} from './common.js';

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

/**
 * `GET /entries` (R16: by status, the approver's queue) and the CLI export of entries. An id
 * filter is any text: one that names no record, whatever its form, gives an empty list (§5).
 */
export const { filters: entriesFilters, query: entriesQuery } = listSchemas(
  {
    contractId: z.string().optional(),
    contractLineId: z.string().optional(),
    status: z.enum(ENTRY_STATUSES).optional(),
    transactionClass: transactionClass.optional(),
    dateFrom: isoDate.optional(),
    dateTo: isoDate.optional(),
  },
  (q, ctx) => {
    if (q.dateFrom && q.dateTo && q.dateFrom > q.dateTo) {
      ctx.addIssue({ code: 'custom', path: ['dateTo'], message: 'must not be before dateFrom' });
    }
  },
);
