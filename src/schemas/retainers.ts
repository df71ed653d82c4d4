import { z } from 'zod';
import { FREQUENCIES, RETAINER_KINDS } from '../domain/vocabulary.js';
import { amount, idRef, isoDate } from './common.js';

export const retainerKind = z.enum(RETAINER_KINDS);
export const frequency = z.enum(FREQUENCIES);
const description = z.string().max(2000).optional();

export const createRetainerBody = z.strictObject({
  customerId: idRef,
  kind: retainerKind,
  amount: amount('positive'),
  date: isoDate,
  description,
  taxCodeId: idRef.optional(),
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
  taxCodeId: idRef.optional(),
});
