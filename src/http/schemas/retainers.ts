import { z } from 'zod';
import { BILLING_STATUSES, FREQUENCIES, RETAINER_KINDS } from '../../domain/vocabulary.js';
import { amount, idRef, isoDate, listSchemas } from './common.js';

export const retainerKind = z.enum(RETAINER_KINDS);
export const frequency = z.enum(FREQUENCIES);
const billingStatus = z.enum(BILLING_STATUSES);
const description = z.string().max(2000).optional();

export const createRetainerBody = z.strictObject({
  customerId: idRef,
  kind: retainerKind,
  amount: amount('positive'),
  date: isoDate,
  description,
});

/** R54: exactly one of endDate or count; the domain checks that and the count's range (422). */
export const scheduleRetainersBody = z.strictObject({
  customerId: idRef,
  kind: retainerKind,
  total: amount('positive'),
  frequency,
  startDate: isoDate,
  endDate: isoDate.optional(),
  count: z.number().int().optional(),
  description,
});

const ref = z.string().max(40).optional();

/**
 * Filters of both retainer views (also the CLI export's options) and their API query.
 * `billingStatus` may be repeated (`?billingStatus=A&billingStatus=B`).
 */
export const { filters: retainerBacklogFilters, query: retainerBacklogQuery } = listSchemas({
  contractId: ref,
  customerId: ref,
  kind: retainerKind.optional(),
  billingStatus: z
    .union([billingStatus, z.array(billingStatus).max(5)])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .optional(),
  dateFrom: isoDate.optional(),
  dateTo: isoDate.optional(),
});
