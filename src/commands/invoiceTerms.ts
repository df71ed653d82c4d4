/**
 * R75: the terms and references a new draft takes from its contract, customer and the
 * seller, and (R73) the sources of its details' tax codes. The seller is loaded once per
 * run (or job batch), each customer once per contract.
 */
import {
  dueDate,
  invoiceReferences,
  paymentTermsDays,
  type TaxCodeSources,
} from '../domain/invoice-terms.js';
import type { CustomerBillingProfile, SellerProfile } from '../domain/parties.js';
import type { ContractRow } from '../repositories/contracts.js';
import { findCustomer } from '../repositories/customers.js';
import { findSellerProfile } from '../repositories/seller-profile.js';
import type { CommandContext } from './context.js';

export interface DraftParties {
  seller: SellerProfile | undefined;
  customer: CustomerBillingProfile;
}

/** The seller's profile as loaded once for many drafts (`undefined`: there is none). */
export interface LoadedSeller {
  seller: SellerProfile | undefined;
}

export async function loadSeller(ctx: CommandContext): Promise<LoadedSeller> {
  return { seller: await findSellerProfile(ctx.db) };
}

export async function loadDraftParties(
  ctx: CommandContext,
  customerId: string,
  loaded?: LoadedSeller,
): Promise<DraftParties> {
  const [seller, customer] = await Promise.all([
    loaded ?? loadSeller(ctx),
    findCustomer(ctx.db, customerId),
  ]);
  if (!customer) throw new Error(`customer ${customerId} vanished`);
  return { seller: seller.seller, customer: customer.profile };
}

/** R75: the columns a new invoice row takes for its terms and references. */
export function draftTermsColumns(
  contract: ContractRow,
  parties: DraftParties,
  invoiceDate: string,
): {
  payment_terms_days: number;
  due_date: string;
  purchase_order: string | null;
  buyer_reference: string | null;
} {
  const days = paymentTermsDays({
    contract: { paymentTermsDays: contract.payment_terms_days },
    customer: { paymentTermsDays: parties.customer.paymentTermsDays },
    seller: parties.seller ?? null,
  });
  const refs = invoiceReferences({
    contract: {
      purchaseOrder: contract.purchase_order,
      buyerReference: contract.buyer_reference,
    },
    customer: { buyerReference: parties.customer.buyerReference },
  });
  return {
    payment_terms_days: days,
    due_date: dueDate(invoiceDate, days),
    purchase_order: refs.purchaseOrder,
    buyer_reference: refs.buyerReference,
  };
}

/** R73: what a detail's tax code is chosen from, less the item's own code. */
export const taxSourcesOf = (parties: DraftParties): Omit<TaxCodeSources, 'itemCode'> => ({
  customerOverride: parties.customer.taxCodeId,
  sellerDefault: parties.seller?.defaultTaxCodeId ?? null,
});
