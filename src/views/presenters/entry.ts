import type { EntryRow } from '../../repositories/entries.js';
import { unitPriceText } from './money.js';

export function presentEntry(e: EntryRow, currency: string) {
  return {
    id: e.id,
    contractId: e.contract_id,
    contractLineId: e.contract_line_id,
    transactionClass: e.transaction_class,
    date: e.date,
    quantity: e.quantity,
    unitPrice: unitPriceText(e.unit_price, currency),
    billableQuantity: e.billable_quantity,
    resource: e.resource,
    role: e.role,
    category: e.category,
    description: e.description,
    status: e.status,
    // R16: only a rejected entry has one.
    ...(e.rejection_reason === null ? {} : { rejectionReason: e.rejection_reason }),
    createdAt: e.created_at.toISOString(),
  };
}
