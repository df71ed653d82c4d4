import { z } from 'zod';
import { nameSearch } from './search.js';
import { idFilter, listSchemas } from '../views/lists.js';
import {
  amount,
  billingMethod,
  idRef,
  isoDate,
  nonEmptyText,
  percent,
  transactionClass,
} from './common.js';
import { paymentTermsDays } from './parties.js';

export const createContractBody = z.strictObject({
  name: nonEmptyText(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 code such as USD'),
  customers: z
    .array(
      z.strictObject({
        customerId: idRef,
        billingSplitPercent: percent.optional(),
        isRounding: z.boolean().optional(),
        notToExceed: amount().optional(),
      }),
    )
    .min(1, 'must name at least one customer')
    .max(100),
  notToExceed: amount().optional(),
  // R71, R75: the contract's references and terms, taken by its invoices' drafts.
  purchaseOrder: nonEmptyText().optional(),
  buyerReference: nonEmptyText().optional(),
  paymentTermsDays: paymentTermsDays.optional(),
});

export const addLineBody = z.strictObject({
  name: nonEmptyText(),
  billingMethod,
  transactionClasses: z.array(transactionClass).max(4).optional(),
  contractedAmount: amount().optional(),
  notToExceed: amount().optional(),
  customers: z
    .array(
      z.strictObject({
        customerId: idRef,
        billingSplitPercent: percent,
        isRounding: z.boolean().optional(),
        notToExceed: amount().optional(),
      }),
    )
    .min(1)
    .max(100)
    .optional(),
  invoiceSchedule: z
    .array(z.strictObject({ runDate: isoDate, cutoffDate: isoDate.optional() }))
    .max(1000)
    .optional(),
  // R72, R73.
  taxCodeId: idRef.optional(),
});

export const listContractsQuery = listSchemas({
  q: nameSearch,
  customerId: idFilter,
  // Contracts with a line scheduled to run on this date (R66): an empty run is explained
  // from these alone, never from every contract.
  runDate: isoDate.optional(),
}).query;

/** R90: a limit may be set or removed (null). */
const limitChange = amount().nullable().optional();

/** At least one field: an empty PATCH is a client mistake, not a silent success. */
const someField = (body: Record<string, unknown>) => Object.keys(body).length > 0;
const NO_FIELD = { message: 'must change at least one field' };

export const changeContractBody = z
  .strictObject({
    name: nonEmptyText().optional(),
    notToExceed: limitChange,
    // R75: the contract's references and terms (null removes them); drafts made later take
    // them, confirmed invoices keep what they froze (R76).
    purchaseOrder: nonEmptyText().nullable().optional(),
    buyerReference: nonEmptyText().nullable().optional(),
    paymentTermsDays: paymentTermsDays.nullable().optional(),
  })
  .refine(someField, NO_FIELD);

export const changeCustomerLimitBody = z.strictObject({ notToExceed: amount().nullable() });

export const changeLineBody = z
  .strictObject({
    name: nonEmptyText().optional(),
    notToExceed: limitChange,
    contractedAmount: amount().nullable().optional(),
    // R72: null removes the line's tax code.
    taxCodeId: idRef.nullable().optional(),
    invoiceSchedule: addLineBody.shape.invoiceSchedule,
    transactionClasses: addLineBody.shape.transactionClasses,
    customers: z
      .array(
        z.strictObject({
          customerId: idRef,
          billingSplitPercent: percent,
          isRounding: z.boolean().optional(),
        }),
      )
      .min(1)
      .max(100)
      .optional(),
  })
  .refine(someField, NO_FIELD);

export const customerOfParams = z.object({ id: z.string(), customerId: z.string() });
