/** The API's shapes, as the UI reads them (spec §5). Amounts are decimal strings. */

export interface Customer {
  id: string;
  name: string;
}

export interface PartyOnContract {
  id: string;
  customerId: string;
  /** Sent by the server beside the id. */
  customerName?: string;
  billingSplitPercent: string;
  isRounding: boolean;
  notToExceed: string | null;
}

export interface NteUsage {
  level: string;
  key?: string;
  limit: string;
  invoiced?: string;
  committed?: string;
  available?: string;
}

export interface ContractLine {
  id: string;
  contractId: string;
  name: string;
  billingMethod: 'TimeAndMaterial' | 'FixedPrice';
  transactionClasses: string[];
  contractedAmount: string | null;
  notToExceed: string | null;
  customers: PartyOnContract[];
  invoiceSchedule: { runDate: string; cutoffDate: string }[];
  nteUsage?: unknown;
}

export interface Contract {
  id: string;
  name: string;
  currency: string;
  notToExceed: string | null;
  customers: PartyOnContract[];
  lines: ContractLine[];
  nteUsage?: unknown;
}

export interface InvoiceDetail {
  id: string;
  sourceType: 'Actual' | 'MilestoneSplit' | 'Retainer';
  sourceId: string;
  kind?: string;
  correctsDetailId?: string;
  transactionClass?: string | null;
  date?: string | null;
  originalQuantity?: string | null;
  quantity: string | null;
  unitPrice: string | null;
  originalAmount?: string;
  amount: string;
  billingType: string;
}

export interface Invoice {
  id: string;
  number: string | null;
  status: 'Draft' | 'Confirmed';
  contractId: string;
  customerId: string;
  /** Names sent by the server beside the ids. */
  contractName?: string;
  customerName?: string;
  currency: string;
  invoiceDate: string;
  correctsInvoiceId?: string | null;
  lines: {
    contractLineId: string | null;
    contractLineName?: string;
    amount: string;
    details: InvoiceDetail[];
  }[];
  appliedRetainers: { retainerId: string; amount: string }[];
  subtotal: string;
  retainerApplied: string;
  total: string;
}

/** A row of the two retainer views (spec §5, plus `reservedAmount`: applied on drafts, R53). */
export interface Retainer {
  id: string;
  kind: string;
  contractId: string;
  customerId: string;
  contractName?: string;
  customerName?: string;
  date: string;
  amount: string;
  usedAmount: string;
  availableAmount: string;
  reservedAmount: string;
  currency: string;
  billingStatus: string;
  description?: string | null;
}

// The status names are the server's own list (R30, R20–R28), written once in src/domain and
// bundled into the web app from there (it imports nothing).
export { BILLING_STATUSES, NTE_STATUSES } from '../../../src/domain/vocabulary';

/** Words a billing clerk reads, for the API's enum values. */
export function humanize(value: string | null | undefined): string {
  if (!value) return '';
  const special: Record<string, string> = {
    UnbilledSalesCreated: 'Unbilled',
    NotReadyToInvoice: 'Not ready',
    ReadyToInvoice: 'Ready to invoice',
    CustomerInvoiceCreated: 'On draft invoice',
    CustomerInvoicePosted: 'Invoiced',
    NotEvaluated: 'Not evaluated',
    NotApplicable: 'Not applicable',
    TimeAndMaterial: 'Time and material',
    FixedPrice: 'Fixed price',
    NonChargeable: 'Non-chargeable',
    LineCustomer: 'line customer',
    ContractLine: 'contract line',
    ContractCustomer: 'contract customer',
    Contract: 'contract',
    NotStarted: 'Not started',
    InProgress: 'In progress',
  };
  return special[value] ?? value.replace(/([a-z])([A-Z])/g, '$1 $2');
}
