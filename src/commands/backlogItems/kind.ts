/**
 * A kind of backlog item: T&M actual, milestone split, retainer/advance. Marking, invoicing,
 * posting and crediting are written once (`statusMove.ts`, `posting.ts`, the invoice
 * commands); each kind declares only what differs: how its rows are locked and selected,
 * how its status is stored, how an item becomes an invoice detail, and which ledger rows
 * posting and crediting write (R68).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type {
  BillingStatus,
  BillingType,
  NteStatus,
  SourceType,
  TransactionClass,
} from '../../domain/vocabulary.js';
import type { NewActual } from '../../repositories/actuals.js';
import type { ContractRecord } from '../../repositories/contracts.js';
import type { InvoiceDetailRow, InvoiceRow } from '../../repositories/invoices.js';
import type { CommandContext } from '../context.js';

/** What every kind's locked row has. */
export interface ItemRow {
  id: string;
  contract_id: string;
  billing_status: BillingStatus | null;
  /** T&M actuals only (R27). */
  nte_status?: NteStatus | null;
}

export interface ItemRef {
  contractId: string;
  id: string;
}

/** One item about to become a charge detail of a draft. */
export interface DetailPlan {
  sourceType: SourceType;
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
  /**
   * R73: the item's own tax code — a retainer's; for work and milestones the contract
   * line's, filled in by `lockReadyItems`.
   */
  taxCodeId: string | null;
  /**
   * R77: the work detail the draft shows: a T&M actual's entry (resource, role, category,
   * description), a milestone's name, a retainer's description or kind.
   */
  description: string | null;
  resource: string | null;
  role: string | null;
  category: string | null;
}

/** Which ready items a draft takes (R60 manual, R66 runs, R69 added to a draft). */
export interface ReadySelection {
  /** Manual: the invoice date. Run: the run date (milestones and retainers, R66). */
  upTo: string;
  /** Runs only: the T&M lines with a run date on this day and their cut-off dates. */
  tmLineCutoffs?: Map<string, string>;
  customerIds?: readonly string[];
  itemIds?: readonly string[];
  /**
   * Runs only: per kind that lists them (`contractsWithReadyItems`), the contracts that had
   * ready items of it when the run started; another contract's items of that kind are not
   * looked for.
   */
  readyContracts?: Map<SourceType, Set<string>>;
}

export interface BacklogItemKind<Row extends ItemRow = ItemRow> {
  type: SourceType;
  /** Completes "<id> …" for ids that name no item of this kind. */
  notFound: string;
  /** R62: may a draft detail of this kind change its quantity or billing type? */
  editable: boolean;
  /** R65: may a correction credit part of it (false: only in full)? */
  partialCredit: boolean;
  /**
   * R65: does a confirmed credit return the item itself to ReadyToInvoice (milestone
   * splits, retainers)? T&M actuals instead come back as new unbilled actuals.
   */
  creditReturnsItem: boolean;

  /**
   * Locks the items among `ids` (of one contract when given), in id order so concurrent
   * actions never deadlock; ids that name no item of this kind are left out.
   */
  lock(db: Kysely<DB>, ids: readonly string[], contractId?: string): Promise<Row[]>;
  /** Does `setStatus` store `invoiceId` on the item (else one statement serves many drafts)? */
  storesInvoiceId: boolean;
  /** Stores a billing status on locked rows; `invoiceId` when they go on or off a draft. */
  setStatus(
    db: Kysely<DB>,
    items: readonly ItemRef[],
    to: BillingStatus,
    invoiceId: string | null,
  ): Promise<void>;

  /** R60, R66, R69: the ReadyToInvoice items a selection takes, locked (contract already locked). */
  lockReady(ctx: CommandContext, contract: ContractRecord, sel: ReadySelection): Promise<Row[]>;
  /** The charge detail that bills the item (a row `lockReady` answered). */
  toDetail(row: Row, currency: string): DetailPlan;
  /** R66: contracts with items of this kind ready on or before `upTo` (runs over all contracts). */
  contractsWithReadyItems?(db: Kysely<DB>, upTo: string): Promise<string[]>;

  /**
   * R68: the BilledSales rows of a confirmed detail (a charge, or a correction's credit with
   * its negative quantity and amount).
   */
  ledgerRows(invoice: InvoiceRow, detail: InvoiceDetailRow, row: Row): NewActual[];
  /** R63: what else posting the items does (T&M: reverse the unbilled rows). */
  afterPost?(ctx: CommandContext, rows: readonly Row[]): Promise<void>;
  /** R65: checks before a credit is confirmed (a retainer that was drawn cannot be credited). */
  beforeCredit?(ctx: CommandContext, invoice: InvoiceRow, rows: readonly Row[]): Promise<void>;
  /** R65: what else a confirmed credit does (T&M: the credited quantity returns as new actuals). */
  afterCredit?(
    ctx: CommandContext,
    invoice: InvoiceRow,
    credits: readonly InvoiceDetailRow[],
    rows: readonly Row[],
  ): Promise<void>;
}

/** The ledger row fields every kind fills the same way from a confirmed detail. */
export function billedRow(
  invoice: InvoiceRow,
  detail: InvoiceDetailRow,
  row: Omit<
    NewActual,
    'type' | 'contract_id' | 'invoice_id' | 'source_type' | 'source_id' | 'date'
  >,
): NewActual {
  return {
    contract_id: invoice.contract_id,
    type: 'BilledSales',
    invoice_id: invoice.id,
    source_type: detail.source_type,
    source_id: detail.source_id,
    date: detail.date,
    billing_status: null,
    nte_status: null,
    nte_failed_level: null,
    ...row,
  };
}
