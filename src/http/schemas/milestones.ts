import { z } from 'zod';
import { FREQUENCIES, SPLIT_BILLING_STATUSES } from '../../domain/vocabulary.js';
import { amount, isoDate, listSchemas, nonEmptyText } from './common.js';

export const createMilestoneBody = z.strictObject({
  name: nonEmptyText(),
  date: isoDate,
  amount: amount('positive'),
});

export const updateMilestoneBody = z
  .strictObject({
    name: nonEmptyText().optional(),
    date: isoDate.optional(),
    amount: amount('positive').optional(),
  })
  .refine((b) => b.name !== undefined || b.date !== undefined || b.amount !== undefined, {
    message: 'give at least one of name, date, amount',
  });

export const generateMilestonesBody = z.strictObject({
  startDate: isoDate,
  endDate: isoDate,
  frequency: z.enum(FREQUENCIES),
});

const splitStatus = z.enum(SPLIT_BILLING_STATUSES);
const ref = z.string().max(40).optional();

/** The Fixed Price Milestones view's filters (also the CLI export's options) and API query. */
export const { filters: milestoneBacklogFilters, query: milestoneBacklogQuery } = listSchemas({
  contractId: ref,
  contractLineId: ref,
  customerId: ref,
  /** Repeatable: `?billingStatus=ReadyToInvoice&billingStatus=NotReadyToInvoice`. */
  billingStatus: z
    .union([splitStatus, z.array(splitStatus).max(4)])
    .optional()
    .transform((v) => (v === undefined ? undefined : Array.isArray(v) ? v : [v])),
  dateFrom: isoDate.optional(),
  dateTo: isoDate.optional(),
  sort: z.enum(['date', '-date', 'amount', '-amount']).default('date'),
});
