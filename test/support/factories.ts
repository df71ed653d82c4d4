/**
 * Small factories that build test data through the public API, as a client would.
 */
import assert from 'node:assert/strict';
import type { TestApi } from './api.js';

let seq = 0;
const unique = (prefix: string) => `${prefix} ${process.pid}-${++seq}`;

function expectStatus(res: { status: number; body: unknown }, status: number, what: string) {
  assert.equal(res.status, status, `${what}: ${JSON.stringify(res.body)}`);
}

export async function buildCustomer(api: TestApi, name = unique('Customer')): Promise<string> {
  const res = await api.post('/customers', { name });
  expectStatus(res, 201, 'create customer');
  return res.body.id;
}

export interface ContractSpec {
  currency?: string;
  /** Split percentages; the first customer is the rounding one unless `rounding` says. */
  percents?: string[];
  rounding?: number;
  notToExceed?: string;
  customerNte?: (string | undefined)[];
}

export interface BuiltContract {
  id: string;
  customerIds: string[];
  body: any;
}

export async function buildContract(api: TestApi, spec: ContractSpec = {}): Promise<BuiltContract> {
  const percents = spec.percents ?? ['100'];
  const customerIds: string[] = [];
  for (let i = 0; i < percents.length; i++) customerIds.push(await buildCustomer(api));
  const res = await api.post('/contracts', {
    name: unique('Contract'),
    currency: spec.currency ?? 'USD',
    customers: customerIds.map((customerId, i) => ({
      customerId,
      billingSplitPercent: percents[i],
      ...(spec.rounding === undefined ? {} : { isRounding: spec.rounding === i }),
      ...(spec.customerNte?.[i] ? { notToExceed: spec.customerNte[i] } : {}),
    })),
    ...(spec.notToExceed ? { notToExceed: spec.notToExceed } : {}),
  });
  expectStatus(res, 201, 'create contract');
  return { id: res.body.id, customerIds, body: res.body };
}

export async function buildLine(
  api: TestApi,
  contractId: string,
  body: Record<string, unknown> = {},
): Promise<any> {
  const res = await api.post(`/contracts/${contractId}/lines`, {
    name: unique('Line'),
    billingMethod: 'TimeAndMaterial',
    ...body,
  });
  expectStatus(res, 201, 'create line');
  return res.body;
}

export interface EntrySpec {
  transactionClass?: string;
  date?: string;
  quantity?: string;
  unitPrice?: string;
}

export async function submitEntry(
  api: TestApi,
  lineId: string,
  spec: EntrySpec = {},
): Promise<string> {
  const res = await api.post('/entries', {
    contractLineId: lineId,
    transactionClass: spec.transactionClass ?? 'Time',
    date: spec.date ?? '2026-03-02',
    quantity: spec.quantity ?? '8',
    unitPrice: spec.unitPrice ?? '200.00',
  });
  expectStatus(res, 201, 'submit entry');
  return res.body.id;
}

/** Submits and approves an entry; answers the unbilled actuals it created. */
export async function approvedActuals(
  api: TestApi,
  lineId: string,
  spec: EntrySpec & { billableQuantity?: string } = {},
): Promise<any[]> {
  const entryId = await submitEntry(api, lineId, spec);
  const res = await api.post(
    `/entries/${entryId}/approve`,
    spec.billableQuantity === undefined ? {} : { billableQuantity: spec.billableQuantity },
  );
  expectStatus(res, 200, 'approve entry');
  return res.body.actuals;
}

/** A fixed-price line with its contracted amount (the contract's customers split it). */
export async function buildFixedPriceLine(
  api: TestApi,
  contractId: string,
  contractedAmount = '100000.00',
): Promise<any> {
  return buildLine(api, contractId, { billingMethod: 'FixedPrice', contractedAmount });
}

export interface MilestoneSpec {
  name?: string;
  date?: string;
  amount?: string;
  /** Mark every split ReadyToInvoice. */
  ready?: boolean;
}

/** A milestone on a fixed-price line; answers it as the API does, with its splits. */
export async function buildMilestone(
  api: TestApi,
  lineId: string,
  spec: MilestoneSpec = {},
): Promise<any> {
  const res = await api.post(`/contract-lines/${lineId}/milestones`, {
    name: spec.name ?? unique('Milestone'),
    date: spec.date ?? '2026-03-31',
    amount: spec.amount ?? '1000.00',
  });
  expectStatus(res, 201, 'create milestone');
  if (spec.ready) await markReady(api, 'fixed-price-milestones', res.body.splits);
  return res.body;
}

export interface RetainerSpec {
  kind?: 'Retainer' | 'Advance';
  amount?: string;
  date?: string;
  description?: string;
  /** Mark it ReadyToInvoice. */
  ready?: boolean;
}

/** A retainer or advance of a contract customer; answers it as the API does. */
export async function buildRetainer(
  api: TestApi,
  contractId: string,
  customerId: string,
  spec: RetainerSpec = {},
): Promise<any> {
  const res = await api.post(`/contracts/${contractId}/retainers`, {
    customerId,
    kind: spec.kind ?? 'Retainer',
    amount: spec.amount ?? '1000.00',
    date: spec.date ?? '2026-01-15',
    ...(spec.description ? { description: spec.description } : {}),
  });
  expectStatus(res, 201, 'create retainer');
  if (spec.ready) await markReady(api, 'retainers-and-advances', [res.body]);
  return res.body;
}

/** Marks items of a backlog view ready; every item must succeed. */
export async function markReady(
  api: TestApi,
  view: 'time-and-material' | 'fixed-price-milestones' | 'retainers-and-advances',
  items: readonly { id: string }[],
): Promise<void> {
  const res = await api.post(`/backlog/${view}/mark-ready`, { ids: items.map((i) => i.id) });
  expectStatus(res, 200, `mark ready on ${view}`);
  assert.ok(
    res.body.results.every((r: any) => r.ok),
    `mark ready on ${view}: ${JSON.stringify(res.body)}`,
  );
}

/** Draft invoices of a contract's ready items (R60); answers them, possibly none. */
export async function buildDrafts(
  api: TestApi,
  contractId: string,
  body: Record<string, unknown> = {},
): Promise<any[]> {
  const res = await api.post('/invoices', { contractId, invoiceDate: '2026-12-31', ...body });
  expectStatus(res, 201, 'create draft invoices');
  return res.body.invoices;
}

/** One draft and its confirmation: answers the confirmed invoice. */
export async function buildConfirmedInvoice(
  api: TestApi,
  contractId: string,
  body: Record<string, unknown> = {},
): Promise<any> {
  const [draft] = await buildDrafts(api, contractId, body);
  assert.ok(draft, 'a draft invoice was created');
  const res = await api.post(`/invoices/${draft.id}/confirm`);
  expectStatus(res, 200, 'confirm invoice');
  return res.body;
}
