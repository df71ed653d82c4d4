/**
 * R73, R76: the tax codes a draft's details name, what a confirmed invoice froze, and the
 * freezing itself. A confirmed invoice is read only from its frozen columns, so a later
 * change to a profile, a tax code, a contract's or a line's name never reaches it.
 */
import { sql, type Kysely } from 'kysely';
import type { DB, RetainerKind, VatCategory } from '../db/schema.js';

/** The tax of a detail as stored: frozen columns, or the current code of a draft's detail. */
export interface StoredTax {
  code: string;
  category: VatCategory;
  /** numeric(5,2) text. */
  rate: string;
  exemption_reason: string | null;
}

export async function taxCodesByIds(
  db: Kysely<DB>,
  ids: readonly string[],
): Promise<Map<string, StoredTax>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .selectFrom('tax_codes')
    .select(['id', 'code', 'category', 'rate', 'exemption_reason'])
    .where('id', 'in', wanted)
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * R74: the tax of each retainer's own billing detail (the charge that billed it on a
 * confirmed invoice, frozen there), to which its applications are assigned. A retainer
 * billed without a code is absent: its applications fall in the group without tax.
 */
export async function retainerBillingTax(
  db: Kysely<DB>,
  contractId: string,
  retainerIds: readonly string[],
): Promise<Map<string, StoredTax>> {
  if (retainerIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('invoice_details as d')
    .innerJoin('invoices as i', (j) =>
      j.onRef('i.contract_id', '=', 'd.contract_id').onRef('i.id', '=', 'd.invoice_id'),
    )
    .select(['d.source_id', 'd.tax_code', 'd.tax_category', 'd.tax_rate', 'd.tax_exemption_reason'])
    .where('d.contract_id', '=', contractId)
    .where('d.source_type', '=', 'Retainer')
    .where('d.kind', '=', 'charge')
    .where('d.removed_at', 'is', null)
    .where('d.source_id', 'in', [...new Set(retainerIds)])
    .where('i.status', '=', 'Confirmed')
    .orderBy('d.id')
    .execute();
  const out = new Map<string, StoredTax>();
  for (const r of rows) {
    if (r.tax_code === null || r.tax_category === null || r.tax_rate === null) continue;
    out.set(r.source_id, {
      code: r.tax_code,
      category: r.tax_category,
      rate: r.tax_rate,
      exemption_reason: r.tax_exemption_reason,
    });
  }
  return out;
}

/** Retainers' kinds and descriptions (R77: the description, else the kind). */
export async function retainerDescriptions(
  db: Kysely<DB>,
  contractId: string,
  retainerIds: readonly string[],
): Promise<Map<string, { kind: RetainerKind; description: string }>> {
  if (retainerIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('retainers')
    .select(['id', 'kind', 'description'])
    .where('contract_id', '=', contractId)
    .where('id', 'in', [...new Set(retainerIds)])
    .execute();
  return new Map(rows.map((r) => [r.id, { kind: r.kind, description: r.description ?? r.kind }]));
}

/** The names a draft's document prints: the contract's and its lines'. */
export async function currentNames(
  db: Kysely<DB>,
  contractId: string,
): Promise<{ contractName: string; lineNames: Record<string, string> }> {
  const [contract, lines] = await Promise.all([
    db
      .selectFrom('contracts')
      .select('name')
      .where('id', '=', contractId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('contract_lines')
      .select(['id', 'name'])
      .where('contract_id', '=', contractId)
      .execute(),
  ]);
  return {
    contractName: contract.name,
    lineNames: Object.fromEntries(lines.map((l) => [l.id, l.name])),
  };
}

/** R76: each detail's tax code, category, rate and exemption reason, as they are now. */
export async function freezeDetailTax(
  db: Kysely<DB>,
  invoices: readonly { contract_id: string; id: string }[],
): Promise<void> {
  if (invoices.length === 0) return;
  await sql`
    UPDATE invoice_details d
    SET tax_code = t.code, tax_category = t.category, tax_rate = t.rate,
        tax_exemption_reason = t.exemption_reason
    FROM tax_codes t
    WHERE d.contract_id = ANY(${[...new Set(invoices.map((i) => i.contract_id))]}::bigint[])
      AND d.invoice_id = ANY(${invoices.map((i) => i.id)}::bigint[])
      AND t.id = d.tax_code_id
  `.execute(db);
}

/** R76: the parties and the names the document prints, as they are now. */
export async function freezeInvoiceParties(
  db: Kysely<DB>,
  invoice: { contract_id: string; id: string },
  frozen: {
    seller: unknown;
    buyer: unknown;
    contractName: string;
    lineNames: Record<string, string>;
  },
): Promise<void> {
  await db
    .updateTable('invoices')
    .set({
      seller: frozen.seller === null ? null : JSON.stringify(frozen.seller),
      buyer: JSON.stringify(frozen.buyer),
      contract_name: frozen.contractName,
      line_names: JSON.stringify(frozen.lineNames),
    })
    .where('contract_id', '=', invoice.contract_id)
    .where('id', '=', invoice.id)
    .execute();
}

/**
 * R52, R74: a draft's chargeable T&M and milestone amounts summed by the tax group of the
 * code each detail names now (no code: category null).
 */
export async function chargeableWorkByTaxCode(
  db: Kysely<DB>,
  contractId: string,
  invoiceId: string,
): Promise<{ tax: StoredTax | null; amount: bigint }[]> {
  const rows = await db
    .selectFrom('invoice_details as d')
    .leftJoin('tax_codes as t', 't.id', 'd.tax_code_id')
    .select([...TAX_CODE_GROUP, sql<string>`coalesce(sum(d.amount), 0)::text`.as('amount')])
    .where('d.contract_id', '=', contractId)
    .where('d.invoice_id', '=', invoiceId)
    .where('d.removed_at', 'is', null)
    .where('d.kind', '=', 'charge')
    .where('d.billing_type', '=', 'Chargeable')
    .where('d.source_type', 'in', ['Actual', 'MilestoneSplit'])
    .groupBy([...TAX_CODE_GROUP])
    .execute();
  return rows.map(workOfTaxCode);
}

/** The columns of a detail's tax code (`tax_codes as t`) that a sum by tax code groups by. */
export const TAX_CODE_GROUP = [
  't.id',
  't.code',
  't.category',
  't.rate',
  't.exemption_reason',
] as const;

/** One row of a sum by tax code: its code (null: the details without one) and amount. */
export function workOfTaxCode(r: {
  code: string | null;
  category: VatCategory | null;
  rate: string | null;
  exemption_reason: string | null;
  amount: string;
}): { tax: StoredTax | null; amount: bigint } {
  const tax =
    r.code === null || r.category === null || r.rate === null
      ? null
      : { code: r.code, category: r.category, rate: r.rate, exemption_reason: r.exemption_reason };
  return { tax, amount: BigInt(r.amount) };
}
