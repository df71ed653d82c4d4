/** R80: the e-invoice's query (spec §5 `GET /invoices/{id}/einvoice`). */
import { z } from 'zod';
import { EINVOICE_PROFILES, EINVOICE_SYNTAXES } from '../domain/einvoice/model.js';

export const einvoiceQuery = z.strictObject({
  syntax: z.enum(EINVOICE_SYNTAXES).default('ubl'),
  profile: z.enum(EINVOICE_PROFILES).default('en16931'),
});
