/**
 * R76 for invoices confirmed before 0041: they froze nothing, so their buyer, contract and
 * line names are frozen now, as they stand (the best record left of them). Their details
 * named no tax code (nothing set one before R73), and there was no seller profile to freeze.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    UPDATE invoices i
    SET buyer = jsonb_build_object(
          'legalName', coalesce(c.legal_name, c.name),
          'address', c.address,
          'vatId', c.vat_id,
          'companyId', c.company_id,
          'email', c.invoice_email,
          'phone', NULL,
          'electronicAddress', c.electronic_address),
        contract_name = k.name,
        line_names = (
          SELECT coalesce(jsonb_object_agg(l.id::text, l.name), '{}'::jsonb)
          FROM contract_lines l WHERE l.contract_id = i.contract_id)
    FROM customers c, contracts k
    WHERE i.status = 'Confirmed' AND i.buyer IS NULL
      AND c.id = i.customer_id AND k.id = i.contract_id;
  `.execute(db);
}
