/**
 * The domain's closed word lists, written once. Types, database checks and request enums
 * all derive from these arrays, so a status can never be spelled one way in one layer and
 * another way in the next (spec §2, R30).
 */

/** R30: every billing status of a backlog item. */
export const BILLING_STATUSES = [
  'UnbilledSalesCreated',
  'NotReadyToInvoice',
  'ReadyToInvoice',
  'CustomerInvoiceCreated',
  'CustomerInvoicePosted',
] as const;
export type BillingStatus = (typeof BILLING_STATUSES)[number];

/** R30: milestone splits and retainers start NotReadyToInvoice; only actuals have the first. */
export const SPLIT_BILLING_STATUSES = [
  'NotReadyToInvoice',
  'ReadyToInvoice',
  'CustomerInvoiceCreated',
  'CustomerInvoicePosted',
] as const;
export type SplitBillingStatus = (typeof SPLIT_BILLING_STATUSES)[number];

/** R32, R33: the statuses of an item that is on a draft or posted invoice. */
export const ON_INVOICE = ['CustomerInvoiceCreated', 'CustomerInvoicePosted'] as const;

/** R20–R28. */
export const NTE_STATUSES = ['NotApplicable', 'NotEvaluated', 'Committed', 'Failed'] as const;
export type NteStatus = (typeof NTE_STATUSES)[number];

/** R20: the levels, in the order they are checked. */
export const NTE_LEVELS = ['LineCustomer', 'ContractLine', 'ContractCustomer', 'Contract'] as const;
export type NteLevel = (typeof NTE_LEVELS)[number];

/** R28: the NTE statuses an actual may have while ready, on a draft or posted. */
export const INVOICEABLE_NTE_STATUSES = ['Committed', 'NotApplicable'] as const;

export const BILLING_TYPES = ['Chargeable', 'NonChargeable', 'Complimentary'] as const;
export type BillingType = (typeof BILLING_TYPES)[number];

/** Classes of work an entry records and a T&M line includes (spec §2). */
export const TRANSACTION_CLASSES = ['Time', 'Expense', 'Material', 'Fee'] as const;
export type TransactionClass = (typeof TRANSACTION_CLASSES)[number];

/** R68: ledger rows of milestones, retainers and advances carry these classes. */
export const LEDGER_CLASSES = [...TRANSACTION_CLASSES, 'Milestone', 'Retainer', 'Advance'] as const;
export type LedgerClass = (typeof LEDGER_CLASSES)[number];

export const ACTUAL_TYPES = ['UnbilledSales', 'BilledSales'] as const;
export type ActualType = (typeof ACTUAL_TYPES)[number];

export const BILLING_METHODS = ['TimeAndMaterial', 'FixedPrice'] as const;
export type BillingMethod = (typeof BILLING_METHODS)[number];

/** R16: Submitted → Approved | Rejected; a cancelled approval leaves the entry Cancelled. */
export const ENTRY_STATUSES = ['Submitted', 'Approved', 'Rejected', 'Cancelled'] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

/** The kinds of backlog item an invoice detail and a ledger row can record (R68). */
export const SOURCE_TYPES = ['Actual', 'MilestoneSplit', 'Retainer'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

export const RETAINER_KINDS = ['Retainer', 'Advance'] as const;
export type RetainerKind = (typeof RETAINER_KINDS)[number];

/** R42. */
export const HEADER_STATUSES = ['NotStarted', 'InProgress', 'Completed'] as const;
export type HeaderStatus = (typeof HEADER_STATUSES)[number];

/** R43, R54. */
export const FREQUENCIES = ['weekly', 'monthly', 'quarterly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export const INVOICE_STATUSES = ['Draft', 'Confirmed'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** Spec §5, Authentication. */
export const ROLES = ['viewer', 'biller', 'approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * R72: the EN 16931 VAT category codes (UNCL5305 subset): S standard rate, Z zero rated,
 * E exempt, AE reverse charge, K intra-community supply, G export outside the EU, O outside
 * the scope of VAT, L Canary Islands (IGIC), M Ceuta and Melilla (IPSI).
 */
export const VAT_CATEGORIES = ['S', 'Z', 'E', 'AE', 'K', 'G', 'O', 'L', 'M'] as const;
export type VatCategory = (typeof VAT_CATEGORIES)[number];
