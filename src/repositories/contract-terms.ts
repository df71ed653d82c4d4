/**
 * R71, R72, R75 fields of contracts and lines, for R90's PATCH endpoints to call: the
 * contract's purchase order, buyer reference and payment terms, and a line's tax code.
 * Drafts take them when they are made; confirmed invoices keep what they froze (R76).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

export interface ContractTermsChange {
  /** undefined: unchanged; null: removed. */
  purchaseOrder?: string | null;
  buyerReference?: string | null;
  paymentTermsDays?: number | null;
}

export async function updateContractTerms(
  db: Kysely<DB>,
  contractId: string,
  change: ContractTermsChange,
): Promise<void> {
  const set = {
    ...(change.purchaseOrder === undefined ? {} : { purchase_order: change.purchaseOrder }),
    ...(change.buyerReference === undefined ? {} : { buyer_reference: change.buyerReference }),
    ...(change.paymentTermsDays === undefined
      ? {}
      : { payment_terms_days: change.paymentTermsDays }),
  };
  if (Object.keys(set).length === 0) return;
  await db.updateTable('contracts').set(set).where('id', '=', contractId).execute();
}

/** The caller checks the code exists (`findTaxCode`); null removes the line's code. */
export async function updateLineTaxCode(
  db: Kysely<DB>,
  contractId: string,
  lineId: string,
  taxCodeId: string | null,
): Promise<void> {
  await db
    .updateTable('contract_lines')
    .set({ tax_code_id: taxCodeId })
    .where('contract_id', '=', contractId)
    .where('id', '=', lineId)
    .execute();
}
