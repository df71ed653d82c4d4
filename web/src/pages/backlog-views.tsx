/**
 * The four backlog views (spec §1): where each reads, which actions it offers, its columns.
 */
import { Badge } from '../components/Badge';
import { Money } from '../components/Money';
import { formatDate } from '../lib/dates';
import { formatDecimal } from '../lib/decimal';
import { humanize } from '../lib/model';

export interface BacklogRow {
  id: string;
  contractId?: string;
  contractLineId?: string;
  customerId?: string;
  date?: string;
  amount?: string;
  currency?: string;
  billingStatus?: string;
  nteStatus?: string | null;
  nteFailedLevel?: string;
  invoiceId?: string;
  /** Names the server sends beside the ids (no page loads every contract and customer). */
  contractName?: string;
  contractLineName?: string;
  customerName?: string;
  [key: string]: unknown;
}

/** A name from the server, or the id when the record has none to show. */
export const nameOf = (name: string | undefined, id: string | undefined) =>
  name ?? (id ? `#${id}` : '');

export type BulkAction =
  'mark-ready' | 'mark-not-ready' | 'reset-nte' | 'reevaluate-nte' | 'create-invoice';

export const ACTION_LABELS: Record<BulkAction, string> = {
  'mark-ready': 'Mark ready',
  'mark-not-ready': 'Mark not ready',
  'reset-nte': 'Reset NTE',
  'reevaluate-nte': 'Re-evaluate NTE',
  'create-invoice': 'Create invoice',
};

export interface Column {
  id: string;
  header: string;
  /** Server-side sort key (`sort=date` / `sort=-date`), when the API offers one. */
  sortKey?: string;
  align?: 'right';
  cell: (row: BacklogRow) => React.ReactNode;
}

export interface BacklogView {
  key:
    | 'time-and-material'
    | 'fixed-price-milestones'
    | 'retainers-and-advances'
    | 'available-retainers-and-advances';
  title: string;
  path: string;
  actions: BulkAction[];
  nteFilter: boolean;
  /** Whether the API takes `sort` (date, amount) for this view. */
  sortable: boolean;
  columns: Column[];
}

const date: Column = {
  id: 'date',
  header: 'Date',
  sortKey: 'date',
  cell: (r) => formatDate(r.date),
};
const contract: Column = {
  id: 'contract',
  header: 'Contract',
  cell: (r) => nameOf(r.contractName, r.contractId),
};
const customer: Column = {
  id: 'customer',
  header: 'Customer',
  cell: (r) => nameOf(r.customerName, r.customerId),
};
const amount: Column = {
  id: 'amount',
  header: 'Amount',
  sortKey: 'amount',
  align: 'right',
  cell: (r) => <Money value={r.amount} currency={r.currency} />,
};
const moneyField = (field: string, header: string): Column => ({
  id: field,
  header,
  align: 'right',
  cell: (r) => <Money value={r[field] as string | undefined} currency={r.currency} />,
});
const billingStatus: Column = {
  id: 'billingStatus',
  header: 'Status',
  cell: (r) => <Badge value={r.billingStatus} />,
};

export const BACKLOG_VIEWS: BacklogView[] = [
  {
    key: 'time-and-material',
    title: 'Time and Material Billing Backlog',
    path: '/backlog/time-and-material',
    actions: ['mark-ready', 'mark-not-ready', 'reset-nte', 'reevaluate-nte', 'create-invoice'],
    nteFilter: true,
    sortable: true,
    columns: [
      date,
      contract,
      { id: 'line', header: 'Line', cell: (r) => nameOf(r.contractLineName, r.contractLineId) },
      customer,
      { id: 'class', header: 'Class', cell: (r) => String(r.transactionClass ?? '') },
      // R77: what the work was, visible by default so a clerk can review what is billed.
      { id: 'description', header: 'Description', cell: (r) => String(r.description ?? '') },
      {
        id: 'quantity',
        header: 'Qty',
        align: 'right',
        cell: (r) => (
          <span className="num">
            {typeof r.quantity === 'string' ? formatDecimal(r.quantity) : ''}
          </span>
        ),
      },
      moneyField('unitPrice', 'Unit price'),
      amount,
      { id: 'billingType', header: 'Billing type', cell: (r) => humanize(r.billingType as string) },
      billingStatus,
      {
        id: 'nteStatus',
        header: 'NTE',
        cell: (r) => (
          <Badge
            value={r.nteStatus}
            title={r.nteFailedLevel ? `Failed at ${humanize(r.nteFailedLevel)} level` : undefined}
          />
        ),
      },
    ],
  },
  {
    key: 'fixed-price-milestones',
    title: 'Fixed Price Milestones',
    path: '/backlog/fixed-price-milestones',
    actions: ['mark-ready', 'mark-not-ready', 'create-invoice'],
    nteFilter: false,
    sortable: true,
    columns: [
      date,
      { id: 'name', header: 'Milestone', cell: (r) => String(r.name ?? '') },
      contract,
      customer,
      amount,
      billingStatus,
      {
        id: 'headerStatus',
        header: 'Milestone status',
        cell: (r) => <Badge value={r.headerStatus as string} />,
      },
    ],
  },
  {
    key: 'retainers-and-advances',
    title: 'Retainers and Advances',
    path: '/backlog/retainers-and-advances',
    actions: ['mark-ready', 'mark-not-ready', 'create-invoice'],
    nteFilter: false,
    sortable: false,
    columns: [
      date,
      { id: 'kind', header: 'Kind', cell: (r) => String(r.kind ?? '') },
      contract,
      customer,
      amount,
      moneyField('usedAmount', 'Used'),
      moneyField('availableAmount', 'Available'),
      // R53: applied on draft invoices, not yet used; a new draft can draw available − reserved.
      moneyField('reservedAmount', 'Reserved on drafts'),
      billingStatus,
    ],
  },
  {
    key: 'available-retainers-and-advances',
    title: 'Available Retainers and Advances',
    path: '/backlog/available-retainers-and-advances',
    actions: [],
    nteFilter: false,
    sortable: false,
    columns: [
      date,
      { id: 'kind', header: 'Kind', cell: (r) => String(r.kind ?? '') },
      contract,
      customer,
      amount,
      moneyField('usedAmount', 'Used'),
      moneyField('availableAmount', 'Available'),
      // R53: applied on draft invoices, not yet used; a new draft can draw available − reserved.
      moneyField('reservedAmount', 'Reserved on drafts'),
    ],
  },
];
