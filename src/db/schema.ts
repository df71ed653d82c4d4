/**
 * Kysely's view of the tables. bigint and numeric columns are strings on the way out
 * (exact; the domain turns them into bigint units), dates are `YYYY-MM-DD` strings.
 */
import type { ColumnType, Generated } from 'kysely';
import type {
  ActualType,
  BillingMethod,
  BillingStatus,
  BillingType,
  EntryStatus,
  InvoiceStatus,
  LedgerClass,
  NteLevel,
  NteStatus,
  RetainerKind,
  Role,
  SourceType,
  SplitBillingStatus,
  TransactionClass,
  VatCategory,
} from '../domain/vocabulary.js';

export type {
  ActualType,
  BillingMethod,
  BillingStatus,
  BillingType,
  EntryStatus,
  InvoiceStatus,
  NteLevel,
  NteStatus,
  RetainerKind,
  Role,
  SplitBillingStatus,
  TransactionClass,
  VatCategory,
};
/** The `source_type` of invoice details and ledger rows (R68). */
export type InvoiceSourceType = SourceType;

/** bigint column: read as string, written from string or bigint. */
export type Int8 = ColumnType<string, string | bigint, string | bigint>;
export type NullableInt8 = ColumnType<
  string | null,
  string | bigint | null,
  string | bigint | null
>;
type Id = ColumnType<string, never, never>;
type CreatedAt = ColumnType<Date, never, never>;

/** A jsonb column: parsed on the way out, written as JSON text. */
export type Json<T> = ColumnType<T, string, string>;
export type NullableJson<T> = ColumnType<T | null, string | null, string | null>;

/** The address of a party as stored (R70, R71); the API's shape. */
export interface StoredAddress {
  line1: string;
  line2?: string | null;
  city: string;
  postalCode: string;
  countrySubdivision?: string | null;
  country: string;
}
export interface StoredElectronicAddress {
  scheme: string;
  value: string;
}
export interface StoredBank {
  iban: string;
  bic?: string | null;
  accountName?: string | null;
}

export interface CustomersTable {
  id: Id;
  name: string;
  created_at: CreatedAt;
  /** R71: the billing profile. */
  legal_name: Generated<string | null>;
  address: ColumnType<StoredAddress | null, string | null | undefined, string | null>;
  vat_id: Generated<string | null>;
  company_id: Generated<string | null>;
  invoice_email: Generated<string | null>;
  buyer_reference: Generated<string | null>;
  payment_terms_days: Generated<number | null>;
  tax_code_id: ColumnType<string | null, string | null | undefined, string | null>;
  electronic_address: ColumnType<
    StoredElectronicAddress | null,
    string | null | undefined,
    string | null
  >;
}

/** R70: the one seller profile of the installation (id 1). */
export interface SellerProfileTable {
  id: ColumnType<number, number | undefined, never>;
  legal_name: string;
  address: Json<StoredAddress>;
  vat_id: string | null;
  company_id: string | null;
  email: string | null;
  phone: string | null;
  electronic_address: NullableJson<StoredElectronicAddress>;
  bank: NullableJson<StoredBank>;
  payment_instructions: string | null;
  default_payment_terms_days: number;
  default_tax_code_id: NullableInt8;
  invoice_footer: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface ContractsTable {
  id: Id;
  name: string;
  currency: string;
  nte_limit: NullableInt8;
  created_at: CreatedAt;
  /** R71, R75. */
  purchase_order: Generated<string | null>;
  buyer_reference: Generated<string | null>;
  payment_terms_days: Generated<number | null>;
}

export interface ContractCustomersTable {
  contract_id: Int8;
  id: Id;
  customer_id: Int8;
  split_percent: string;
  is_rounding: boolean;
  nte_limit: NullableInt8;
  position: number;
}

export interface ContractLinesTable {
  contract_id: Int8;
  id: Id;
  name: string;
  billing_method: BillingMethod;
  transaction_classes: ColumnType<TransactionClass[], TransactionClass[], TransactionClass[]>;
  contracted_amount: NullableInt8;
  nte_limit: NullableInt8;
  created_at: CreatedAt;
  /** R72, R73. */
  tax_code_id: ColumnType<string | null, string | bigint | null | undefined, string | null>;
}

export interface LineCustomersTable {
  contract_id: Int8;
  id: Id;
  contract_line_id: Int8;
  contract_customer_id: Int8;
  customer_id: Int8;
  split_percent: string;
  is_rounding: boolean;
  nte_limit: NullableInt8;
  position: number;
}

export interface InvoiceScheduleDatesTable {
  contract_id: Int8;
  contract_line_id: Int8;
  run_date: string;
  cutoff_date: string;
}

export interface EntriesTable {
  contract_id: Int8;
  id: Id;
  contract_line_id: Int8;
  transaction_class: TransactionClass;
  date: string;
  quantity: string;
  unit_price: string;
  billable_quantity: string | null;
  resource: string | null;
  role: string | null;
  category: string | null;
  description: string | null;
  status: EntryStatus;
  /** R16: present exactly when the entry is Rejected. */
  rejection_reason: string | null;
  created_at: CreatedAt;
  approved_at: Date | null;
  /** Issue 19: the import's key of the entry (unique per contract), null when submitted. */
  external_key: Generated<string | null>;
}

export interface ActualsTable {
  contract_id: Int8;
  id: Id;
  type: ActualType;
  reverses_id: NullableInt8;
  entry_id: NullableInt8;
  invoice_id: NullableInt8;
  /** null only on the rows of a retainer or advance (R68). */
  contract_line_id: NullableInt8;
  line_customer_id: NullableInt8;
  customer_id: Int8;
  transaction_class: LedgerClass;
  /** R68: the backlog item the row records. */
  source_type: ColumnType<SourceType, SourceType | undefined, never>;
  /** Set by the database to the row's own id on an unbilled actual that names none. */
  source_id: ColumnType<string, string | bigint | null | undefined, never>;
  /** R68: the retainer whose draw (or give-back) the row records. */
  retainer_id: NullableInt8;
  date: string;
  quantity: string;
  unit_price: string;
  amount: Int8;
  billing_type: BillingType;
  billing_status: BillingStatus | null;
  nte_status: NteStatus | null;
  nte_failed_level: NteLevel | null;
  adjusted: Generated<boolean>;
  /** Kept by the database: a row of the T&M view's default (open) rows (migration 0071). */
  in_backlog: ColumnType<boolean, never, never>;
  created_at: CreatedAt;
}

/** Kept by triggers on `actuals` (migration 0007); read-only for the application. */
export interface TmBacklogTotalsTable {
  contract_id: Int8;
  id: Generated<string>;
  customer_id: Int8;
  billing_status: BillingStatus;
  /** '' for rows without an NTE status. */
  nte_status: NteStatus | '';
  currency: string;
  count: Int8;
  amount: Int8;
}

/** Migration 0072: the same counts per month and filter column, for filters on no contract. */
export interface TmBacklogMonthTotalsTable {
  id: Generated<string>;
  /** The first day of the month. */
  month: string;
  currency: string;
  billing_status: BillingStatus;
  nte_status: NteStatus | '';
  transaction_class: TransactionClass;
  count: Int8;
  amount: Int8;
}

export interface RetainersTable {
  contract_id: Int8;
  id: Id;
  contract_customer_id: Int8;
  customer_id: Int8;
  kind: RetainerKind;
  amount: Int8;
  date: string;
  description: string | null;
  billing_status: Generated<BillingStatus>;
  used_amount: Generated<string>;
  created_at: CreatedAt;
  /** R72, R73. */
  tax_code_id: ColumnType<string | null, string | bigint | null | undefined, string | null>;
}

export interface RetainerApplicationsTable {
  contract_id: Int8;
  invoice_id: Int8;
  retainer_id: Int8;
  amount: Int8;
  created_at: CreatedAt;
}

export interface MilestonesTable {
  contract_id: Int8;
  id: Id;
  contract_line_id: Int8;
  name: string;
  date: string;
  amount: Int8;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, never, Date>;
}

export interface MilestoneSplitsTable {
  contract_id: Int8;
  id: Id;
  milestone_id: Int8;
  contract_line_id: Int8;
  line_customer_id: Int8;
  customer_id: Int8;
  date: string;
  amount: Int8;
  billing_status: ColumnType<
    SplitBillingStatus,
    SplitBillingStatus | undefined,
    SplitBillingStatus
  >;
  invoice_id: NullableInt8;
}

export interface AuditEventsTable {
  id: Id;
  at: CreatedAt;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  contract_id: NullableInt8;
  from_status: string | null;
  to_status: string | null;
  /** R90: the setup field a change event names (migration 0050). */
  field: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ApiTokensTable {
  id: Id;
  name: string;
  role: Role;
  token_hash: string;
  created_at: CreatedAt;
  revoked_at: Date | null;
}

export type ImportRunStatus = 'Running' | 'Finished' | 'RolledBack' | 'Failed';

export interface ImportRunsTable {
  id: Id;
  file_hash: string;
  file_name: string;
  mode: string;
  actor: string;
  status: ImportRunStatus;
  rows_read: Generated<string>;
  created: Generated<string>;
  skipped: Generated<string>;
  rejected: Generated<string>;
  started_at: CreatedAt;
  updated_at: ColumnType<Date, never, Date>;
}

export interface IdempotencyKeysTable {
  key: string;
  actor: string;
  method: string;
  path: string;
  body_hash: string;
  status_code: number;
  response: unknown;
  created_at: CreatedAt;
}

export type InvoiceDetailKind = 'charge' | 'credit';

export interface InvoiceCountersTable {
  name: string;
  next: Int8;
}

export interface InvoiceRunsTable {
  contract_id: Int8;
  id: Id;
  run_date: string;
  runs: Generated<number>;
  first_run_at: CreatedAt;
  last_run_at: ColumnType<Date, never, Date>;
}

export type InvoiceRunJobStatus = 'Queued' | 'Running' | 'Succeeded' | 'Failed';
export type InvoiceRunJobContractStatus = 'Pending' | 'Done' | 'Failed';

/** R95: a queued invoice run (migration 0060). */
export interface InvoiceRunJobsTable {
  id: Id;
  run_date: string;
  contract_ids: ColumnType<string[] | null, string[] | null | undefined, never>;
  actor: string;
  status: ColumnType<InvoiceRunJobStatus, InvoiceRunJobStatus | undefined, InvoiceRunJobStatus>;
  failure: string | null;
  created_at: CreatedAt;
  started_at: ColumnType<Date | null, never, Date | null>;
  finished_at: ColumnType<Date | null, never, Date | null>;
}

/** R96: one contract of a job, committed with the invoices it created. */
export interface InvoiceRunJobContractsTable {
  contract_id: Int8;
  job_id: Int8;
  status: ColumnType<
    InvoiceRunJobContractStatus,
    InvoiceRunJobContractStatus | undefined,
    InvoiceRunJobContractStatus
  >;
  invoice_ids: ColumnType<string[], never, string[]>;
  error_code: string | null;
  error_message: string | null;
  finished_at: ColumnType<Date | null, never, Date | null>;
}

export interface InvoicesTable {
  contract_id: Int8;
  id: Id;
  customer_id: Int8;
  status: InvoiceStatus;
  number: string | null;
  invoice_date: string;
  currency: string;
  corrects_invoice_id: NullableInt8;
  run_id: NullableInt8;
  created_at: CreatedAt;
  confirmed_at: Date | null;
  /** R75: taken when the draft is made; the database checks due = invoice date + terms. */
  payment_terms_days: number;
  due_date: string;
  purchase_order: string | null;
  buyer_reference: string | null;
  note: Generated<string | null>;
  /** R76: frozen at confirmation (null on drafts). */
  seller: ColumnType<unknown, string | null | undefined, string | null>;
  buyer: ColumnType<unknown, string | null | undefined, string | null>;
  contract_name: Generated<string | null>;
  line_names: ColumnType<Record<string, string> | null, string | null | undefined, string | null>;
}

export interface InvoiceNumbersTable {
  number: Int8;
  contract_id: Int8;
  invoice_id: Int8;
}

export interface InvoiceDetailsTable {
  contract_id: Int8;
  id: Id;
  invoice_id: Int8;
  source_type: InvoiceSourceType;
  source_id: Int8;
  kind: InvoiceDetailKind;
  active: Generated<boolean>;
  removed_at: Date | null;
  contract_line_id: NullableInt8;
  customer_id: Int8;
  transaction_class: TransactionClass | null;
  date: string;
  original_quantity: string;
  quantity: string;
  unit_price: string;
  original_amount: Int8;
  amount: Int8;
  billing_type: BillingType;
  corrects_detail_id: NullableInt8;
  /** R29: the chargeable amount a draft edit added beyond what the item commits. */
  nte_excess: Generated<string>;
  /** R72, R73: the detail's tax code, fixed when the item goes on the draft. */
  tax_code_id: ColumnType<string | null, string | bigint | null | undefined, string | null>;
  created_at: CreatedAt;
  /** R77: the work detail, copied when the item goes on the draft. */
  description: Generated<string | null>;
  resource: Generated<string | null>;
  role: Generated<string | null>;
  category: Generated<string | null>;
  /** R91: the write-down reason of the last edit that gave one. */
  reason: Generated<string | null>;
  /** R76: the tax code as it was at confirmation (null on drafts and without a code). */
  tax_code: Generated<string | null>;
  tax_category: Generated<VatCategory | null>;
  tax_rate: Generated<string | null>;
  tax_exemption_reason: Generated<string | null>;
}

/** R72: installation-wide tax codes. */
export interface TaxCodesTable {
  id: Id;
  code: string;
  name: string;
  category: VatCategory;
  /** numeric(5,2) percent, as text. */
  rate: string;
  exemption_reason: string | null;
  created_at: CreatedAt;
}

export interface DB {
  customers: CustomersTable;
  contracts: ContractsTable;
  contract_customers: ContractCustomersTable;
  contract_lines: ContractLinesTable;
  line_customers: LineCustomersTable;
  invoice_schedule_dates: InvoiceScheduleDatesTable;
  entries: EntriesTable;
  actuals: ActualsTable;
  tm_backlog_totals: TmBacklogTotalsTable;
  tm_backlog_month_totals: TmBacklogMonthTotalsTable;
  retainers: RetainersTable;
  retainer_applications: RetainerApplicationsTable;
  milestones: MilestonesTable;
  milestone_splits: MilestoneSplitsTable;
  audit_events: AuditEventsTable;
  api_tokens: ApiTokensTable;
  idempotency_keys: IdempotencyKeysTable;
  import_runs: ImportRunsTable;
  invoice_counters: InvoiceCountersTable;
  invoice_runs: InvoiceRunsTable;
  invoice_run_jobs: InvoiceRunJobsTable;
  invoice_run_job_contracts: InvoiceRunJobContractsTable;
  invoices: InvoicesTable;
  invoice_numbers: InvoiceNumbersTable;
  invoice_details: InvoiceDetailsTable;
  tax_codes: TaxCodesTable;
  seller_profile: SellerProfileTable;
}
