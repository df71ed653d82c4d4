/**
 * Statements stay under PostgreSQL's 65,535-parameter limit however many rows a command
 * writes: 10,000 actuals inserted at once, marked ready, and put on one draft invoice.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertActuals } from '../../src/repositories/actuals.js';
import { startApi, type TestApi } from '../support/api.js';
import { approvedActuals, buildContract, buildLine } from '../support/factories.js';
import { TARGET } from '../support/database.js';

let api: TestApi;
before(async () => {
  api = await startApi();
});
after(async () => {
  await api.close();
});

describe(`large batches [${TARGET}]`, () => {
  it('10,000 actuals in one insert, marked ready and invoiced on one draft', async () => {
    const contract = await buildContract(api);
    const line = await buildLine(api, contract.id);
    const [template] = await approvedActuals(api, line.id, {
      quantity: '1',
      unitPrice: '10.00',
      date: '2026-03-02',
    });
    const lineCustomerId = (await api.get(`/contracts/${contract.id}`)).body.lines[0].customers[0]
      .id;
    const rows = await insertActuals(
      api.database.db,
      Array.from({ length: 10_000 }, () => ({
        contract_id: contract.id,
        type: 'UnbilledSales' as const,
        contract_line_id: line.id,
        line_customer_id: lineCustomerId,
        customer_id: contract.customerIds[0]!,
        transaction_class: 'Time' as const,
        date: '2026-03-02',
        quantity: '1.00',
        unit_price: '10.000000',
        amount: 1000n,
        billing_type: 'Chargeable' as const,
        billing_status: 'UnbilledSalesCreated' as const,
        nte_status: 'NotApplicable' as const,
        nte_failed_level: null,
      })),
    );
    assert.equal(rows.length, 10_000);
    const ids = [template.id, ...rows.map((r) => r.id)];
    const marked = await api.post('/backlog/time-and-material/mark-ready', { ids });
    assert.equal(marked.body.results.filter((r: any) => r.ok).length, 10_001);
    const created = await api.post('/invoices', {
      contractId: contract.id,
      invoiceDate: '2026-12-31',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body).slice(0, 300));
    assert.equal(created.body.invoices.length, 1);
    const invoice = created.body.invoices[0];
    assert.equal(invoice.lines[0].details.length, 10_001);
    assert.equal(invoice.subtotal, '100010.00');
  });
});
