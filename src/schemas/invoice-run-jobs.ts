/** R95: the body of `POST /invoice-runs/jobs`. */
import { z } from 'zod';
import { idRef, isoDate } from './common.js';

export const invoiceRunJobBody = z.strictObject({
  runDate: isoDate,
  contractIds: z.array(idRef).min(1).max(10_000).optional(),
});
