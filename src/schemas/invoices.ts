import { z } from 'zod';
import { BILLING_TYPES, INVOICE_STATUSES } from '../domain/vocabulary.js';
import { idFilter, listSchemas } from '../views/lists.js';
import { idRef, isoDate, nonEmptyText, quantity } from './common.js';

export const createInvoicesBody = z.strictObject({
  contractId: idRef,
  customerIds: z.array(idRef).min(1).max(1000).optional(),
  itemIds: z.array(idRef).min(1).max(20_000).optional(),
  invoiceDate: isoDate.optional(),
});

export const listInvoicesQuery = listSchemas({
  status: z.enum(INVOICE_STATUSES).optional(),
  contractId: idFilter,
  customerId: idFilter,
}).query;

export const detailParams = z.object({ id: z.string(), detailId: z.string() });

/** R91: the write-down reason's longest form. */
export const DETAIL_REASON_MAX = 500;

export const patchDetailBody = z
  .strictObject({
    quantity: quantity('nonNegative').optional(),
    billingType: z.enum(BILLING_TYPES).optional(),
    // R73: the biller's choice of tax code; null removes it (the detail then carries no tax).
    taxCodeId: idRef.nullable().optional(),
    // R91
    reason: nonEmptyText(DETAIL_REASON_MAX).optional(),
  })
  .refine(
    (b) =>
      b.quantity !== undefined ||
      b.billingType !== undefined ||
      b.taxCodeId !== undefined ||
      b.reason !== undefined,
    { message: 'give quantity, billingType, taxCodeId or reason' },
  );

/** R75: a draft's date and references; null clears a reference or the note. */
export const patchInvoiceBody = z
  .strictObject({
    invoiceDate: isoDate.optional(),
    purchaseOrder: nonEmptyText().nullable().optional(),
    buyerReference: nonEmptyText().nullable().optional(),
    note: nonEmptyText(2000).nullable().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: 'give invoiceDate, purchaseOrder, buyerReference or note',
  });

export const correctionBody = z
  .strictObject({
    details: z
      .array(z.strictObject({ detailId: idRef, quantity: quantity('nonNegative').default('0') }))
      .min(1)
      .max(100_000)
      .optional(),
  })
  .nullish();

/** R69: the bulk rule of spec §5 — any string is answered per item. */
export const addItemsBody = z.strictObject({
  itemIds: z.array(z.string().max(200)).min(1, 'must name at least one id').max(20_000),
});

export const invoiceRunBody = z.strictObject({
  runDate: isoDate,
  dryRun: z.boolean().optional(),
  contractIds: z.array(idRef).min(1).max(10_000).optional(),
});
