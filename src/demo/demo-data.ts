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
import { confirmInvoice } from '../commands/confirmInvoice.js';
import { createDraftInvoices } from '../commands/createDraftInvoices.js';
import { createTaxCode } from '../commands/createTaxCode.js';
import { markItems } from '../commands/backlogItems/statusMove.js';
import { patchCustomer, putSellerProfile } from '../commands/updateParties.js';

export async function loadDemoData(db: Kysely<DB>): Promise<boolean> {
  if (await hasAnyContract(db)) return false;
  await inTransaction(db, async (trx) => {
    const ctx = { db: trx, actor: 'demo' };
    const acme = await insertCustomer(trx, 'Acme Industries');
    const globex = await insertCustomer(trx, 'Globex Corporation');
    const initech = await insertCustomer(trx, 'Initech');
    // R70–R72: who issues the invoices, who receives them, and the VAT that applies, so
    // the demo invoice is complete (a seller with VAT id and IBAN, addresses, tax).
    const vat = await createTaxCode(ctx, {
      code: 'VAT20',
      name: 'Standard rate 20 %',
      category: 'S',
      rate: '20',
    });
    await createTaxCode(ctx, {
      code: 'RC',
      name: 'Reverse charge',
      category: 'AE',
      rate: '0',
      exemptionReason: 'Reverse charge (Article 196 VAT Directive)',
    });
    await putSellerProfile(ctx, {
      legalName: 'Meridian Advisory Ltd',
      address: {
        line1: '12 Harbour Street',
        city: 'Bristol',
        postalCode: 'BS1 4RN',
        country: 'GB',
      },
      vatId: 'GB123456789',
      companyId: '09876543',
      email: 'billing@meridian.example',
      phone: '+44 117 496 0000',
      electronicAddress: { scheme: '9932', value: 'GB123456789' },
      bank: {
        iban: 'GB82WEST12345698765432',
        bic: 'WESTGB2L',
        accountName: 'Meridian Advisory Ltd',
      },
      paymentInstructions: 'Bank transfer within the payment terms, quoting the invoice number.',
      defaultPaymentTermsDays: 30,
      defaultTaxCodeId: vat.id,
      invoiceFooter: 'Meridian Advisory Ltd · Registered in England and Wales No. 09876543',
    });
    const addresses = [
      [
        acme.id,
        'Acme Industries plc',
        '1 Foundry Lane',
        'Sheffield',
        'S1 2AB',
        'GB',
        'GB987654321',
      ],
      [globex.id, 'Globex Corporation Ltd', '40 Market Street', 'Manchester', 'M1 1PW', 'GB', null],
      [initech.id, 'Initech Ltd', '5 Quay Road', 'Leeds', 'LS1 4AP', 'GB', null],
    ] as const;
    for (const [id, legalName, line1, city, postalCode, country, vatId] of addresses) {
      await patchCustomer(ctx, id, {
        legalName,
        address: { line1, city, postalCode, country },
        ...(vatId ? { vatId } : {}),
        invoiceEmail: `accounts@${legalName.split(' ')[0]!.toLowerCase()}.example`,
      });
    }
    const contractId = await createContract(ctx, {
      name: 'ERP rollout 2026',
      currency: 'USD',
      customers: [
        { customerId: acme.id, billingSplitPercent: '33.33', isRounding: true },
        { customerId: globex.id, billingSplitPercent: '33.33' },
        { customerId: initech.id, billingSplitPercent: '33.34' },
      ],
      notToExceed: '250000.00',
      purchaseOrder: 'PO-2026-0142',
      paymentTermsDays: 30,
    });
    const consulting = await addContractLine(ctx, {
      contractId,
      name: 'Consulting (T&M)',
      billingMethod: 'TimeAndMaterial',
      notToExceed: '120000.00',
      taxCodeId: vat.id,
    });
    await addContractLine(ctx, {
      contractId,
      name: 'Implementation (fixed price)',
      billingMethod: 'FixedPrice',
      contractedAmount: '90000.00',
      taxCodeId: vat.id,
    });
    const work = [
      {
        date: '2026-10-05',
        transactionClass: 'Time' as const,
        quantity: '8',
        unitPrice: '200.00',
        description: 'Workshop',
        resource: 'Dana Whitfield',
        role: 'Lead consultant',
      },
      {
        date: '2026-10-06',
        transactionClass: 'Time' as const,
        quantity: '7.5',
        unitPrice: '200.00',
        description: 'Process mapping',
        resource: 'Omar Haddad',
        role: 'Business analyst',
      },
      {
        date: '2026-10-09',
        transactionClass: 'Expense' as const,
        quantity: '1',
        unitPrice: '412.80',
        description: 'Travel',
        category: 'Travel',
      },
      {
        date: '2026-10-14',
        transactionClass: 'Time' as const,
        quantity: '6',
        unitPrice: '175.00',
        description: 'Data migration',
        resource: 'Lena Kowalski',
        role: 'Data engineer',
      },
      {
        date: '2026-11-02',
        transactionClass: 'Material' as const,
        quantity: '3',
        unitPrice: '89.90',
        description: 'Licences',
      },
    ];
    const october: string[] = [];
    for (const w of work) {
      const entry = await submitEntry(ctx, { contractLineId: consulting, ...w });
      const { actuals } = await approveEntry(ctx, { entryId: entry.id });
      if (w.date < '2026-11-01') october.push(...actuals.map((a) => a.id));
    }
    // October's work is invoiced: one invoice per customer; Acme's is confirmed (numbered,
    // its parties and tax frozen), the others stay drafts to review.
    await markItems(ctx, 'Actual', 'markReady', october);
    const drafts = await createDraftInvoices(ctx, { contractId, invoiceDate: '2026-10-31' });
    const acmeDraft = drafts.find((i) => i.customer_id === acme.id);
    if (acmeDraft) await confirmInvoice(ctx, acmeDraft.id);
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
