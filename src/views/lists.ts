/**
 * Spec §5 "Lists", written once. Every list's filters are built here, so its rules hold on
 * every list by construction rather than by each list remembering them:
 * - an id filter that names no record, whatever its form, gives an empty list (`idFilter`);
 * - `dateFrom` after `dateTo` is 400 `VALIDATION_FAILED` (`listSchemas` adds the check to
 *   every list that has both);
 * - `limit` (default 50, max 500) and an opaque `cursor` (`listQuery`).
 * The empty-totals rule lives with the one totals presenter (`./totals.ts`).
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema.js';
import { isId } from '../domain/ids.js';
import type { Page } from '../repositories/pagination.js';
import type { Totals } from './totals.js';

/**
 * No record has id 0: every id is an identity starting at 1. A filter that names no record
 * becomes this id, so the list's own query matches nothing (an empty page, empty totals)
 * and no list needs a special case for it.
 */
export const NO_RECORD_ID = '0';

/**
 * An id filter (`contractId`, `customerId`, …). Any text is accepted: `abc`, `-1` and a
 * number beyond every id simply name no record (spec §5).
 */
export const idFilter = z
  .string()
  .transform((v) => (isId(v) ? v : NO_RECORD_ID))
  .optional()
  .meta({ description: 'an id; one that names no record gives an empty list', example: '42' });

export const listQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(1000).optional(),
};

/** What an export drives itself: the page size and where to go on. */
export interface PageRequest {
  limit: number;
  cursor?: string;
}

/** A query parameter that may be given once or repeated (`?billingStatus=A&billingStatus=B`). */
export const repeatable = <T extends z.ZodType>(item: T) =>
  z
    .union([item, z.array(item).min(1).max(10)])
    .transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[])
    .optional();

/** A filter named like an id (`contractId`, `entityId`) must be `idFilter`. */
const ID_NAME = /Id$/;

interface DateRange {
  dateFrom?: unknown;
  dateTo?: unknown;
}

function datesInOrder(q: DateRange, ctx: z.RefinementCtx): void {
  if (typeof q.dateFrom === 'string' && typeof q.dateTo === 'string' && q.dateFrom > q.dateTo) {
    ctx.addIssue({ code: 'custom', path: ['dateTo'], message: 'must not be before dateFrom' });
  }
}

/**
 * A list's filters and its API query (the filters plus `limit` and `cursor`), made from one
 * shape, so the API and the CLI export (which drives `limit` and `cursor` itself) accept
 * exactly the same filters. Built apart rather than by `.omit()`: zod refuses to omit keys
 * from a refined object.
 */
export function listSchemas<S extends z.core.$ZodShape>(shape: S) {
  for (const [key, schema] of Object.entries(shape)) {
    // Checked when the module loads: a list cannot be written that breaks §5's id rule.
    if (ID_NAME.test(key) && schema !== idFilter) {
      throw new Error(`list filter ${key} names a record, so it must be idFilter (spec §5)`);
    }
  }
  const filters = z.strictObject(shape);
  const query = z.strictObject({ ...shape, ...listQuery });
  if (!('dateFrom' in shape && 'dateTo' in shape)) return { filters, query };
  return {
    filters: filters.superRefine((f, ctx) => datesInOrder(f as DateRange, ctx)),
    query: query.superRefine((q, ctx) => datesInOrder(q as DateRange, ctx)),
  };
}

/**
 * A list as both the API and the CLI export read it: its filters, and one page of its rows
 * as the API presents them. The export walks `list` page by page; the API route answers
 * `read`, which a backlog view extends with the totals of its whole filter.
 */
export interface ListView<F extends z.ZodObject, Row> {
  filters: F;
  /** The filters with `limit` and `cursor`: the API's query string. */
  query: z.ZodType;
  list(db: Kysely<DB>, q: z.output<F> & PageRequest): Promise<Page<Row>>;
}

/** A backlog view: a list that also answers the totals of its whole filter (spec §5). */
export interface BacklogView<F extends z.ZodObject, Row> extends ListView<F, Row> {
  read(db: Kysely<DB>, q: z.output<F> & PageRequest): Promise<Page<Row> & { totals: Totals }>;
}
