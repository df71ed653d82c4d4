/**
 * Words a clerk understands: the API's problem codes and field errors as sentences.
 * The server's messages are written for integrators ("Too small: expected string to have
 * >=1 characters", "must be an id"); here each becomes "Name is required" and the like.
 */
import { formatDecimal } from './decimal.js';

/** The parts of a contract (as `GET /contracts` shows it) that carry NTE usage. */
interface ContractUsage {
  nteUsage?: unknown;
  customers: { customerId: string; nteUsage?: unknown }[];
  lines: {
    id: string;
    nteUsage?: unknown;
    customers: { customerId: string; nteUsage?: unknown }[];
  }[];
}

/** Words for the API's level and field names (`LineCustomer` → "line customer"). */
function humanize(value: string): string {
  return value.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** What each problem code means to someone at a screen. */
const CODE_SENTENCES: Record<string, string> = {
  VALIDATION_FAILED: 'Some fields need attention.',
  NOT_FOUND: 'That record no longer exists; reload the page.',
  STATUS_READ_ONLY: 'Statuses change through the actions, not by editing them.',
  INVALID_TRANSITION: 'This item is not in a state that allows that action.',
  NTE_FAILED: 'The not-to-exceed limit would be exceeded.',
  NTE_NOT_EVALUATED: 'The not-to-exceed check was reset; re-evaluate it first.',
  INVOICE_CONFIRMED: 'The invoice is already confirmed and can no longer change.',
  RETAINER_OVER_AVAILABLE: 'That is more than the retainer has available.',
  MILESTONE_ON_TM_LINE: 'Milestones belong on fixed-price lines only.',
  CONFLICT: 'This cannot change any more.',
  TAX_CODE_IN_USE: 'The tax code is in use and cannot change.',
  IDEMPOTENCY_KEY_REUSED: 'This request was already sent with different content.',
  UNAUTHORIZED: 'Your sign-in was refused; enter a valid token.',
  FORBIDDEN: 'Your role may not do this.',
  PAYLOAD_TOO_LARGE: 'The file or request is too large.',
  TOO_MANY_REQUESTS: 'Too many attempts; wait a moment and try again.',
  INTERNAL: 'Something went wrong on the server; try again, and report it if it repeats.',
};

/** Readable names for the API's field paths. */
const FIELD_NAMES: Record<string, string> = {
  name: 'Name',
  notToExceed: 'Not-to-exceed limit',
  contractedAmount: 'Contracted amount',
  billingSplitPercent: 'Split %',
  customerId: 'Customer',
  customers: 'Customer split',
  transactionClasses: 'Transaction classes',
  transactionClass: 'Transaction class',
  invoiceSchedule: 'Invoice schedule',
  runDate: 'Run date',
  cutoffDate: 'Cut-off date',
  contractLineId: 'Contract line',
  date: 'Date',
  quantity: 'Quantity',
  unitPrice: 'Unit price',
  billableQuantity: 'Billable quantity',
  reason: 'Reason',
  amount: 'Amount',
  startDate: 'Start date',
  endDate: 'End date',
  frequency: 'Frequency',
  currency: 'Currency',
  role: 'Role',
  ids: 'Selection',
  file: 'File',
  total: 'Total',
  kind: 'Kind',
  count: 'Count',
};

/** `customers.1.billingSplitPercent` → "Split % (customer 2)". */
export function fieldName(path: string): string {
  if (!path) return '';
  const parts = path.split('.');
  const last = parts.filter((p) => !/^\d+$/.test(p)).pop() ?? path;
  const index = parts.find((p) => /^\d+$/.test(p));
  const base = FIELD_NAMES[last] ?? humanize(last).replace(/^./, (c) => c.toUpperCase());
  return index === undefined ? base : `${base} (row ${Number(index) + 1})`;
}

/** A schema message as the rest of a sentence about its field. */
function plainMessage(message: string): string {
  if (/expected string to have >=1 characters|^Required$|received undefined/i.test(message))
    return 'is required';
  if (/^must be an id$/.test(message)) return 'must be chosen from the list';
  if (/^Invalid input$/.test(message)) return 'is missing or not valid';
  if (/Invalid option: expected one of (.*)$/.test(message)) {
    const options = /expected one of (.*)$/.exec(message)?.[1]?.replaceAll('"', '') ?? '';
    return `must be one of ${options.split('|').join(', ')}`;
  }
  if (/Too big: expected string to have <=(\d+)/.test(message))
    return `is too long (at most ${/<=(\d+)/.exec(message)?.[1]} characters)`;
  if (/expected number|expected string, received/i.test(message)) return 'is not valid here';
  return message;
}

export function fieldSentence(field: string, message: string): string {
  const text = plainMessage(message);
  const name = fieldName(field);
  if (!name) return text.charAt(0).toUpperCase() + text.slice(1);
  return `${name} ${text}`;
}

export function codeSentence(code: string | undefined, detail?: string): string {
  const base = (code && CODE_SENTENCES[code]) || '';
  // The detail carries the specifics (which item, how much is left) the code cannot.
  if (detail && base && code !== 'VALIDATION_FAILED') return `${base} ${capitalise(detail)}.`;
  return base || capitalise(detail ?? 'The request failed') + '.';
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1).replace(/\.$/, '');

export interface LevelUsage {
  limit: string;
  invoiced: string;
  committed: string;
  headroom: string;
}

/** "Not-to-exceed reached at contract line: 200.00 left of 1,000.00" (R21). */
export function nteSentence(level: string, usage: LevelUsage | null, currency?: string): string {
  const where = humanize(level);
  if (!usage) return `Not-to-exceed reached at ${where}.`;
  // Over the limit (possible only through invoicing without a commitment) reads as nothing
  // left, at the amount's own decimals.
  const room = usage.headroom.startsWith('-')
    ? usage.headroom.slice(1).replace(/\d/g, '0')
    : usage.headroom;
  return (
    `Not-to-exceed reached at ${where}: ${formatDecimal(room, undefined, currency)} left of ` +
    `${formatDecimal(usage.limit, undefined, currency)}`
  );
}

/** The usage of one NTE level for an item, from its contract as `GET /contracts` shows it. */
export function usageAt(
  contract: ContractUsage | undefined,
  item: { contractLineId?: string | null; customerId?: string | null },
  level: string,
): LevelUsage | null {
  if (!contract) return null;
  const line = contract.lines.find((l) => l.id === item.contractLineId);
  const pick = (u: unknown) => (u ?? null) as LevelUsage | null;
  switch (level) {
    case 'Contract':
      return pick(contract.nteUsage);
    case 'ContractCustomer':
      return pick(contract.customers.find((c) => c.customerId === item.customerId)?.nteUsage);
    case 'ContractLine':
      return pick(line?.nteUsage);
    case 'LineCustomer':
      return pick(line?.customers.find((c) => c.customerId === item.customerId)?.nteUsage);
    default:
      return null;
  }
}
