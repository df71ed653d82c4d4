import { z } from 'zod';
import { FREQUENCIES } from '../domain/vocabulary.js';
import { amount, isoDate, nonEmptyText } from './common.js';

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
