/** Invoicing setup shared by the invoice tests, through the public API. */
import assert from 'node:assert/strict';
import type { TestApi } from './api.js';
import { approvedActuals, type EntrySpec } from './factories.js';

/** Approves an entry and marks its actuals ReadyToInvoice; answers the actuals. */
export async function readyActuals(
  api: TestApi,
  lineId: string,
  spec: EntrySpec & { billableQuantity?: string } = {},
): Promise<any[]> {
  const actuals = await approvedActuals(api, lineId, spec);
  const res = await api.post('/backlog/time-and-material/mark-ready', {
    ids: actuals.map((a) => a.id),
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.ok(
    res.body.results.every((r: any) => r.ok),
    JSON.stringify(res.body),
  );
  return actuals;
}

export async function createInvoices(api: TestApi, body: Record<string, unknown>): Promise<any[]> {
  const res = await api.post('/invoices', body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.invoices;
}

export async function confirm(api: TestApi, invoiceId: string): Promise<any> {
  const res = await api.post(`/invoices/${invoiceId}/confirm`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

/** The billing status of an actual (the T&M backlog view is another branch's work). */
export async function billingStatusOf(api: TestApi, actualId: string): Promise<string | null> {
  const row = await api.database.db
    .selectFrom('actuals')
    .select('billing_status')
    .where('id', '=', actualId)
    .executeTakeFirstOrThrow();
  return row.billing_status;
}

export async function ledger(api: TestApi, query: string): Promise<any[]> {
  const res = await api.get(`/actuals?${query}&limit=500`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.items;
}

export const allDetails = (invoice: any): any[] => invoice.lines.flatMap((l: any) => l.details);
