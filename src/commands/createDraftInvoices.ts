/**
 * R60 (manual) and R66 (runs): one draft invoice per contract customer that has ready
 * items, one detail per item. The caller has locked nothing; this locks the contract row
 * first, then the items in id order.
 */
import { invalid } from '../domain/errors.js';
import { isId } from '../domain/ids.js';
import { findContractRow, loadContracts, type ContractRecord } from '../repositories/contracts.js';
import { insertInvoice, type InvoiceRow } from '../repositories/invoices.js';
import type { CommandContext } from './context.js';
import { drawRetainers, lockDrawableRetainersOf } from './invoiceRetainers.js';
import {
  draftTermsColumns,
  loadDraftParties,
  loadSeller,
  type DraftParties,
  type LoadedSeller,
} from './invoiceTerms.js';
import { DraftWrites, lockReadyItems, type ReadyItem } from './backlogItems/drafting.js';
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
  /** The seller's profile, when the caller loaded it once for many contracts (a run does). */
  seller?: LoadedSeller;
  /** A run's held-back writes: the caller flushes them before its transaction commits. */
  writes?: DraftWrites;
  /** Runs: the contracts with ready items of some kinds (see `ReadySelection`). */
  readyContracts?: ReadySelection['readyContracts'];
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
    ...(input.readyContracts ? { readyContracts: input.readyContracts } : {}),
  };
  const ready = await lockReadyItems(ctx, contract, selection);

  // Step 2: one draft per contract customer that has any (R60), in the contract's order.
  const customers = contract.customers
    .map((c) => ({
      id: c.customer_id,
      items: ready.filter((i) => i.plan.customerId === c.customer_id),
    }))
    .filter((c) => c.items.length > 0);
  if (customers.length === 0) return [];
  const seller = input.seller ?? (await loadSeller(ctx));
  const drafts: { invoice: InvoiceRow; items: ReadyItem[]; parties: DraftParties }[] = [];
  for (const customer of customers) {
    const parties = await loadDraftParties(ctx, customer.id, seller);
    const invoice = await insertInvoice(ctx.db, {
      // R75: terms and references as they stand when the draft is made.
      ...draftTermsColumns(contract.contract, parties, input.invoiceDate),
      contract_id: contractId,
      customer_id: customer.id,
      status: 'Draft',
      number: null,
      invoice_date: input.invoiceDate,
      currency: contract.contract.currency,
      corrects_invoice_id: null,
      run_id: input.run?.id ?? null,
      confirmed_at: null,
    });
    drafts.push({ invoice, items: customer.items, parties });
  }
  // Step 3: R32, the items are now on the drafts (written now, or with the run's others).
  const invoices = drafts.map((d) => d.invoice);
  const writes = input.writes ?? new DraftWrites();
  writes.add(
    drafts,
    invoices.map((invoice) => ({
      actor: ctx.actor,
      action: 'createInvoice',
      entityType: 'Invoice',
      entityId: invoice.id,
      contractId,
      from: null,
      to: 'Draft',
    })),
  );
  // Step 4: R52, retainers applied to the new drafts; a draw reads their details.
  const drawable = await lockDrawableRetainersOf(ctx, invoices);
  if (drawable.size > 0 || !input.writes) await writes.flushItems(ctx);
  for (const invoice of invoices) {
    const retainers = drawable.get(invoice.customer_id);
    if (retainers) await drawRetainers(ctx, invoice, retainers);
  }
  if (!input.writes) await writes.flush(ctx);
  return invoices;
}
