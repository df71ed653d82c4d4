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
