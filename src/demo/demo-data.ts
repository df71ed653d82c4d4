/**
 * A small demo dataset for a first look, loaded through the same commands users call, and
 * only into an empty database.
 */
import type { Kysely } from 'kysely';
import { addContractLine } from '../commands/addContractLine.js';
import { approveEntry } from '../commands/approveEntry.js';
import { createContract } from '../commands/createContract.js';
import { submitEntry } from '../commands/submitEntry.js';
import type { DB } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { hasAnyContract } from '../repositories/contracts.js';
import { insertCustomer } from '../repositories/customers.js';

export async function loadDemoData(db: Kysely<DB>): Promise<boolean> {
  if (await hasAnyContract(db)) return false;
  await inTransaction(db, async (trx) => {
    const ctx = { db: trx, actor: 'demo' };
    const acme = await insertCustomer(trx, 'Acme Industries');
    const globex = await insertCustomer(trx, 'Globex Corporation');
    const initech = await insertCustomer(trx, 'Initech');
    const contractId = await createContract(ctx, {
      name: 'ERP rollout 2026',
      currency: 'USD',
      customers: [
        { customerId: acme.id, billingSplitPercent: '33.33', isRounding: true },
        { customerId: globex.id, billingSplitPercent: '33.33' },
        { customerId: initech.id, billingSplitPercent: '33.34' },
      ],
      notToExceed: '250000.00',
    });
    const consulting = await addContractLine(ctx, {
      contractId,
      name: 'Consulting (T&M)',
      billingMethod: 'TimeAndMaterial',
      notToExceed: '120000.00',
    });
    await addContractLine(ctx, {
      contractId,
      name: 'Implementation (fixed price)',
      billingMethod: 'FixedPrice',
      contractedAmount: '90000.00',
    });
    const work = [
      {
        date: '2026-10-05',
        transactionClass: 'Time' as const,
        quantity: '8',
        unitPrice: '200.00',
        description: 'Workshop',
      },
      {
        date: '2026-10-06',
        transactionClass: 'Time' as const,
        quantity: '7.5',
        unitPrice: '200.00',
        description: 'Process mapping',
      },
      {
        date: '2026-10-09',
        transactionClass: 'Expense' as const,
        quantity: '1',
        unitPrice: '412.80',
        description: 'Travel',
      },
      {
        date: '2026-10-14',
        transactionClass: 'Time' as const,
        quantity: '6',
        unitPrice: '175.00',
        description: 'Data migration',
      },
      {
        date: '2026-11-02',
        transactionClass: 'Material' as const,
        quantity: '3',
        unitPrice: '89.90',
        description: 'Licences',
      },
    ];
    for (const w of work) {
      const entry = await submitEntry(ctx, { contractLineId: consulting, ...w });
      await approveEntry(ctx, { entryId: entry.id });
    }
    const pending = await submitEntry(ctx, {
      contractLineId: consulting,
      date: '2026-11-10',
      transactionClass: 'Time',
      quantity: '4',
      unitPrice: '200.00',
      description: 'Awaiting approval',
    });
    void pending;
  });
  return true;
}
