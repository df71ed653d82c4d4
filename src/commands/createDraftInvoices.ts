/**
 * R60 (manual) and R66 (runs): one draft invoice per contract customer that has ready
 * items, one detail per item. The caller has locked nothing; this locks the contract row
 * first, then the items in id order.
 */
import { invalid } from '../domain/errors.js';
import { isId } from '../domain/ids.js';
import { recordAudit } from '../repositories/audit.js';
import { findContractRow, loadContracts, type ContractRecord } from '../repositories/contracts.js';
import { insertInvoice, type InvoiceRow } from '../repositories/invoices.js';
import type { CommandContext } from './context.js';
import { applyRetainersToDraft } from './invoiceRetainers.js';
import { draftTermsColumns, loadDraftParties } from './invoiceTerms.js';
import { lockReadyItems, putOnDraft } from './backlogItems/drafting.js';
import type { ReadySelection } from './backlogItems/kind.js';

export interface CreateDraftsInput {
  contractId: string;
  invoiceDate: string;
  customerIds?: readonly string[];
  itemIds?: readonly string[];
  /** Invoice runs (R66). */
  run?: { id: string; tmLineCutoffs: Map<string, string> };
  /** The contract, when the caller has already locked and loaded it (a run does). */
  locked?: ContractRecord;
}

/** Locks and loads the contract, or answers VALIDATION_FAILED naming `field`. */
export async function lockContract(
  ctx: CommandContext,
  contractId: string,
  field = 'contractId',
): Promise<ContractRecord> {
  const row = await findContractRow(ctx.db, contractId, { forUpdate: true });
  const [contract] = row ? await loadContracts(ctx.db, [row]) : [];
  if (!contract) throw invalid(field, `contract ${contractId} does not exist`);
  return contract;
}

export async function createDraftInvoices(
  ctx: CommandContext,
  input: CreateDraftsInput,
): Promise<InvoiceRow[]> {
  const contract = input.locked ?? (await lockContract(ctx, input.contractId));
  const contractId = contract.contract.id;

  if (input.customerIds) {
    input.customerIds.forEach((id, i) => {
      if (!contract.customers.some((c) => c.customer_id === id)) {
        throw invalid(
          `customerIds.${i}`,
          `customer ${id} is not a customer of contract ${contractId}`,
        );
      }
    });
  }

  // Step 1: every ready item the selection takes, of every kind.
  const selection: ReadySelection = {
    upTo: input.invoiceDate,
    ...(input.run ? { tmLineCutoffs: input.run.tmLineCutoffs } : {}),
    ...(input.customerIds ? { customerIds: input.customerIds } : {}),
    ...(input.itemIds ? { itemIds: input.itemIds.filter(isId) } : {}),
  };
  const ready = await lockReadyItems(ctx, contract, selection);

  // Step 2: one draft per contract customer that has any (R60), in the contract's order.
  const created: InvoiceRow[] = [];
  for (const customer of contract.customers) {
    const mine = ready.filter((i) => i.plan.customerId === customer.customer_id);
    if (mine.length === 0) continue;
    const parties = await loadDraftParties(ctx, customer.customer_id);
    const invoice = await insertInvoice(ctx.db, {
      // R75: terms and references as they stand when the draft is made.
      ...draftTermsColumns(contract.contract, parties, input.invoiceDate),
      contract_id: contractId,
      customer_id: customer.customer_id,
      status: 'Draft',
      number: null,
      invoice_date: input.invoiceDate,
      currency: contract.contract.currency,
      corrects_invoice_id: null,
      run_id: input.run?.id ?? null,
      confirmed_at: null,
    });
    // Step 3: R32, the items are now on the draft.
    await putOnDraft(ctx, invoice, mine, 'createInvoice', parties);
    // Step 4: R52, retainers applied to the new draft.
    await applyRetainersToDraft(ctx, contract, invoice);
    await recordAudit(ctx.db, [
      {
        actor: ctx.actor,
        action: 'createInvoice',
        entityType: 'Invoice',
        entityId: invoice.id,
        contractId,
        from: null,
        to: 'Draft',
      },
    ]);
    created.push(invoice);
  }
  return created;
}
