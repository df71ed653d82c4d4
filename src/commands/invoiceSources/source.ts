/**
 * What invoicing needs from each kind of backlog item (T&M actual, milestone split,
 * retainer/advance). Invoice commands are written once against this interface; each kind
 * plugs in its own adapter in `index.ts`.
 */
import type { BillingType, InvoiceSourceType, TransactionClass } from '../../db/schema.js';
import type { ContractRecord } from '../../repositories/contracts.js';
import type { InvoiceDetailRow, InvoiceRow } from '../../repositories/invoices.js';
import type { CommandContext } from '../context.js';

/** One item about to become a charge detail of a draft. */
export interface DetailPlan {
  sourceType: InvoiceSourceType;
  sourceId: string;
  customerId: string;
  /** null for retainers and advances (R61). */
  contractLineId: string | null;
  transactionClass: TransactionClass | null;
  date: string;
  /** numeric(16,2) text */
  quantity: string;
  /** numeric(20,6) text */
  unitPrice: string;
  amount: bigint;
  billingType: BillingType;
}

/** Which ready items a draft takes (R60 manual, R66 runs). */
export interface ReadySelection {
  /** Manual: the invoice date. Run: the run date (milestones and retainers, R66). */
  upTo: string;
  /** Runs only: the T&M lines with a run date on this day and their cut-off dates. */
  tmLineCutoffs?: Map<string, string>;
  customerIds?: readonly string[];
  itemIds?: readonly string[];
}

export interface InvoiceSource {
  type: InvoiceSourceType;
  /** The ReadyToInvoice items selected, locked (contract row already locked). */
  collectReady(
    ctx: CommandContext,
    contract: ContractRecord,
    selection: ReadySelection,
  ): Promise<DetailPlan[]>;
  /** R32: ReadyToInvoice → CustomerInvoiceCreated, with audit. */
  putOnDraft(
    ctx: CommandContext,
    contractId: string,
    sourceIds: readonly string[],
    invoiceId: string,
  ): Promise<void>;
  /** R32: removed from a draft → ReadyToInvoice, with audit. */
  returnToReady(
    ctx: CommandContext,
    contractId: string,
    sourceIds: readonly string[],
    invoiceId: string,
  ): Promise<void>;
  /** R63: the ledger and status side of confirming the invoice's charge details. */
  post(
    ctx: CommandContext,
    invoice: InvoiceRow,
    details: readonly InvoiceDetailRow[],
  ): Promise<void>;
  /** R65: the ledger and status side of confirming a correction's credit details. */
  credit(
    ctx: CommandContext,
    invoice: InvoiceRow,
    credits: readonly InvoiceDetailRow[],
  ): Promise<void>;
  /** R66: contracts with items of this kind ready on or before `upTo` (runs without contractIds). */
  contractsWithReadyItems?(ctx: CommandContext, upTo: string): Promise<string[]>;
  /** R62: may a draft detail of this kind change its quantity or billing type? */
  editable: boolean;
  /** R65: may a correction credit part of it (false: only in full)? */
  partialCredit: boolean;
}
