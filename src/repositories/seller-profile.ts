/** R70: the one seller profile of the installation (row id 1). */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB, SellerProfileTable } from '../db/schema.js';
import type { SellerProfile } from '../domain/parties.js';

type SellerProfileRow = Selectable<SellerProfileTable>;

const toProfile = (r: SellerProfileRow): SellerProfile => ({
  legalName: r.legal_name,
  address: r.address,
  vatId: r.vat_id,
  companyId: r.company_id,
  email: r.email,
  phone: r.phone,
  electronicAddress: r.electronic_address,
  bank: r.bank,
  paymentInstructions: r.payment_instructions,
  defaultPaymentTermsDays: r.default_payment_terms_days,
  defaultTaxCodeId: r.default_tax_code_id,
  invoiceFooter: r.invoice_footer,
});

export async function findSellerProfile(db: Kysely<DB>): Promise<SellerProfile | undefined> {
  const row = await db.selectFrom('seller_profile').selectAll().executeTakeFirst();
  return row ? toProfile(row) : undefined;
}

const json = (v: unknown) => (v === null ? null : JSON.stringify(v));

/** R70: PUT replaces the whole profile, creating it the first time. */
export async function saveSellerProfile(db: Kysely<DB>, p: SellerProfile): Promise<SellerProfile> {
  const values = {
    legal_name: p.legalName,
    address: JSON.stringify(p.address),
    vat_id: p.vatId,
    company_id: p.companyId,
    email: p.email,
    phone: p.phone,
    electronic_address: json(p.electronicAddress),
    bank: json(p.bank),
    payment_instructions: p.paymentInstructions,
    default_payment_terms_days: p.defaultPaymentTermsDays,
    default_tax_code_id: p.defaultTaxCodeId,
    invoice_footer: p.invoiceFooter,
  };
  const row = await db
    .insertInto('seller_profile')
    .values({ id: 1, ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet({ ...values, updated_at: sql`now()` }))
    .returningAll()
    .executeTakeFirstOrThrow();
  return toProfile(row);
}
