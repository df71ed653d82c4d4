/** Requests of the Time and Material Billing Backlog (spec §5). */
import { z } from 'zod';
import { BILLING_STATUSES, NTE_STATUSES } from '../../domain/vocabulary.js';
import { TM_SORTS } from '../../repositories/backlog.js';
import { idRef, isoDate, listSchemas, transactionClass } from './common.js';

const billingStatus = z.enum(BILLING_STATUSES);
const nteStatus = z.enum(NTE_STATUSES);

/** A query parameter that may be given once or repeated (`?billingStatus=A&billingStatus=B`). */
const repeatable = <T extends z.ZodType>(item: T) =>
  z
    .union([item, z.array(item).min(1).max(10)])
    .transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[])
    .optional();

/**
 * The view's filters (the CLI export takes them as options) and its API query. A malformed
 * cursor, or one given out for another sort, is refused by the list itself (400).
 */
export const { filters: tmBacklogFilters, query: tmBacklogQuery } = listSchemas(
  {
    contractId: idRef.optional(),
    contractLineId: idRef.optional(),
    customerId: idRef.optional(),
    billingStatus: repeatable(billingStatus),
    nteStatus: repeatable(nteStatus),
    transactionClass: repeatable(transactionClass),
    dateFrom: isoDate.optional(),
    dateTo: isoDate.optional(),
    sort: z.enum(TM_SORTS).default('date'),
  },
  (q, ctx) => {
    if (q.dateFrom && q.dateTo && q.dateFrom > q.dateTo) {
      ctx.addIssue({ code: 'custom', path: ['dateTo'], message: 'must not be before dateFrom' });
    }
  },
);

export type TmBacklogQuery = z.output<typeof tmBacklogQuery>;
