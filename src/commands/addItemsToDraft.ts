/**
 * R69: ready items of the draft's contract and customer, dated on or before its invoice
 * date, join an existing draft; each id is answered as in a bulk action. R52: the draft's
 * retainers are then applied afresh over its new chargeable total.
 */
import { invalidTransition } from '../domain/errors.js';
import { isId } from '../domain/ids.js';
import { loadContracts, type ContractRecord } from '../repositories/contracts.js';
import type { InvoiceRow } from '../repositories/invoices.js';
import { lockReadyItems, putOnDraft } from './backlogItems/drafting.js';
import { allKinds } from './backlogItems/registry.js';
import { failed, succeeded, type BulkResult } from './bulk.js';
import type { CommandContext } from './context.js';
import { applyRetainersToDraft, releaseRetainersOfDraft } from './invoiceRetainers.js';
import { lockDraft } from './lockInvoice.js';

export async function addItemsToDraft(
  ctx: CommandContext,
  invoiceId: string,
  itemIds: readonly string[],
): Promise<{ results: BulkResult[]; invoice: InvoiceRow }> {
  const { invoice, contract: row } = await lockDraft(ctx, invoiceId);
  if (invoice.corrects_invoice_id) {
    throw invalidTransition(
      `invoice ${invoice.id} is a corrective draft; it only credits invoice ${invoice.corrects_invoice_id}`,
    );
  }
  const [contract] = await loadContracts(ctx.db, [row]);
  if (!contract) throw new Error(`contract ${invoice.contract_id} vanished`);
  const ids = [...new Set(itemIds.filter(isId))];
  const ready = await lockReadyItems(ctx, contract, {
    upTo: invoice.invoice_date,
    customerIds: [invoice.customer_id],
    itemIds: ids,
  });
  await putOnDraft(ctx, invoice, ready, 'addToInvoice');
  if (ready.length > 0) {
    await releaseRetainersOfDraft(ctx, invoice);
    await applyRetainersToDraft(ctx, contract, invoice);
  }

  const taken = new Set(ready.map((i) => i.row.id));
  const refusals = await whyNotTaken(
    ctx,
    contract,
    invoice,
    ids.filter((id) => !taken.has(id)),
  );
  const results = itemIds.map((id) =>
    taken.has(id)
      ? succeeded(id, 'CustomerInvoiceCreated')
      : (refusals.get(id) ?? failed(id, 'NOT_FOUND', `${id} is not a backlog item`)),
  );
  return { results, invoice };
}

/** Why each id was not taken: another contract or customer, not ready, or dated too late. */
async function whyNotTaken(
  ctx: CommandContext,
  contract: ContractRecord,
  invoice: InvoiceRow,
  ids: readonly string[],
): Promise<Map<string, BulkResult>> {
  const out = new Map<string, BulkResult>();
  if (ids.length === 0) return out;
  for (const kind of allKinds()) {
    for (const row of await kind.lock(ctx.db, ids)) {
      if (out.has(row.id)) continue;
      const item = kind.toDetail(row, contract.contract.currency);
      const reason =
        row.contract_id !== invoice.contract_id
          ? `is on contract ${row.contract_id}, not on the invoice's contract ${invoice.contract_id}`
          : item.customerId !== invoice.customer_id
            ? `is billed to customer ${item.customerId}, not to the invoice's customer ${invoice.customer_id}`
            : row.billing_status !== 'ReadyToInvoice'
              ? `is ${row.billing_status}; only ReadyToInvoice items can be added (R32)`
              : `is dated ${item.date}, after the invoice date ${invoice.invoice_date}`;
      out.set(row.id, failed(row.id, 'INVALID_TRANSITION', `${kind.type} ${row.id} ${reason}`));
    }
  }
  return out;
}
