import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { linePrice, toEn16931 } from '../../src/domain/einvoice/mapping.js';
import {
  EN16931_SPECIFICATION,
  PEPPOL_BUSINESS_PROCESS,
  PEPPOL_SPECIFICATION,
} from '../../src/domain/einvoice/model.js';
import {
  buyer,
  detail,
  invoiceDocument,
  retainer,
  RC,
  S19,
  S7,
  seller,
} from '../support/invoice-documents.js';

describe('R82 EN 16931 mapping', () => {
  it('R82: each chargeable detail is a line with description, quantity, HUR for time, price and net amount', () => {
    const m = toEn16931(
      invoiceDocument({
        details: [
          detail({ description: 'Design review', quantity: 7_50n, amount: 1500_00n }),
          detail({
            transactionClass: 'Expense',
            description: 'Train ticket',
            quantity: 1_00n,
            unitPrice: 89_900000n,
            amount: 89_90n,
          }),
        ],
      }),
      'en16931',
    );
    assert.deepEqual(
      m.lines.map((l) => [l.id, l.name, l.quantity, l.unitCode, l.price, l.netAmount]),
      [
        ['1', 'Design review', '7.50', 'HUR', '200.00', '1500.00'],
        ['2', 'Train ticket', '1.00', 'C62', '89.90', '89.90'],
      ],
    );
    assert.equal(m.totals.lineNet, '1589.90');
  });

  it('R82, R61: non-chargeable and complimentary details are not lines and add nothing', () => {
    const m = toEn16931(
      invoiceDocument({
        details: [
          detail({ amount: 1600_00n }),
          detail({ billingType: 'NonChargeable', amount: 800_00n, quantity: 4_00n }),
          detail({ billingType: 'Complimentary', amount: 200_00n, quantity: 1_00n }),
        ],
      }),
      'en16931',
    );
    assert.equal(m.lines.length, 1);
    assert.equal(m.totals.lineNet, '1600.00');
    assert.equal(m.totals.payable, '1904.00');
  });

  it('R82, R74: a retainer applied is a document-level allowance in its tax group; the breakdown is R74s', () => {
    const m = toEn16931(
      invoiceDocument({
        details: [
          detail({ amount: 1000_00n, quantity: 5_00n }),
          detail({ amount: 500_00n, quantity: 2_50n, tax: S7 }),
        ],
        retainers: [retainer({ amount: 400_00n, tax: S19 })],
      }),
      'en16931',
    );
    assert.deepEqual(m.allowances, [
      {
        amount: '400.00',
        reason: 'Retainer applied: Retainer Q1',
        vat: { category: 'S', rate: '19.00' },
      },
    ]);
    // 19 %: 1000.00 − 400.00 = 600.00, tax 114.00; 7 %: 500.00, tax 35.00.
    assert.deepEqual(
      m.vatBreakdown.map((b) => [b.vat.category, b.vat.rate, b.taxableAmount, b.taxAmount]),
      [
        ['S', '19.00', '600.00', '114.00'],
        ['S', '7.00', '500.00', '35.00'],
      ],
    );
    assert.deepEqual(m.totals, {
      lineNet: '1500.00',
      allowances: '400.00',
      taxExclusive: '1100.00',
      taxTotal: '149.00',
      taxInclusive: '1249.00',
      payable: '1249.00',
    });
  });

  it('R80: a correction is a credit note (381) with positive amounts naming the corrected invoice (BT-25)', () => {
    const m = toEn16931(
      invoiceDocument({
        kind: 'CreditNote',
        number: 'INV-000043',
        correctsNumber: 'INV-000042',
        correctsInvoiceDate: '2026-01-31',
        details: [detail({ quantity: -2_00n, amount: -400_00n })],
      }),
      'en16931',
    );
    assert.equal(m.typeCode, '381');
    assert.deepEqual(m.precedingInvoice, { number: 'INV-000042', issueDate: '2026-01-31' });
    assert.deepEqual(
      m.lines.map((l) => [l.quantity, l.price, l.netAmount]),
      [['2.00', '200.00', '400.00']],
    );
    assert.deepEqual(
      m.vatBreakdown.map((b) => [b.taxableAmount, b.taxAmount]),
      [['400.00', '76.00']],
    );
    assert.equal(m.totals.payable, '476.00');
  });

  it('R82: a credit note with a retainer credits the allowance as a positive amount too', () => {
    const m = toEn16931(
      invoiceDocument({
        kind: 'CreditNote',
        correctsNumber: 'INV-000041',
        details: [detail({ quantity: -8_00n, amount: -1600_00n })],
        retainers: [retainer({ amount: -400_00n })],
      }),
      'en16931',
    );
    assert.equal(m.allowances[0]!.amount, '400.00');
    assert.equal(m.totals.taxExclusive, '1200.00');
    assert.equal(m.totals.taxTotal, '228.00');
  });

  it('R82: references, due date, payment means 58 with the IBAN and electronic addresses', () => {
    const m = toEn16931(invoiceDocument({ note: 'Thank you' }), 'en16931');
    assert.equal(m.dueDate, '2026-03-02');
    assert.equal(m.purchaseOrder, 'PO-7');
    assert.equal(m.buyerReference, 'REF-1');
    assert.equal(m.note, 'Thank you');
    assert.deepEqual(m.paymentMeans, {
      code: '58',
      remittanceInformation: 'INV-000042',
      iban: 'DE89370400440532013000',
      accountName: 'Muster',
      bic: 'COBADEFFXXX',
    });
    assert.deepEqual(m.seller.electronicAddress, { scheme: '9930', value: 'DE123456789' });
    assert.deepEqual(m.buyer.electronicAddress, { scheme: '0208', value: '0123456749' });
  });

  it('R82: no payment means without a seller IBAN', () => {
    const m = toEn16931(invoiceDocument({ seller: seller({ bank: null }) }), 'en16931');
    assert.equal(m.paymentMeans, null);
  });

  it('R80: profile peppol writes the Peppol customization and process ids', () => {
    const plain = toEn16931(invoiceDocument(), 'en16931');
    const peppol = toEn16931(invoiceDocument(), 'peppol');
    assert.equal(plain.specificationId, EN16931_SPECIFICATION);
    assert.equal(plain.businessProcess, null);
    assert.equal(peppol.specificationId, PEPPOL_SPECIFICATION);
    assert.equal(peppol.businessProcess, PEPPOL_BUSINESS_PROCESS);
  });

  it('R82: JPY amounts have no decimals', () => {
    const m = toEn16931(
      invoiceDocument({
        currency: 'JPY',
        currencyExponent: 0,
        details: [detail({ unitPrice: 15000_000000n, amount: 120000n })],
      }),
      'en16931',
    );
    assert.deepEqual(
      [m.lines[0]!.price, m.lines[0]!.netAmount, m.totals.taxTotal, m.totals.payable],
      ['15000', '120000', '22800', '142800'],
    );
  });

  it('R82: a line whose amount is not quantity × price states the price for the whole quantity', () => {
    // A split share (R3): 2.67 h at 100.00 would be 267.00; the share is 266.67.
    assert.deepEqual(linePrice(2_67n, 100_000000n, 266_67n, 2), {
      price: '266.67',
      baseQuantity: '2.67',
    });
    assert.deepEqual(linePrice(2_67n, 100_000000n, 267_00n, 2), {
      price: '100.00',
      baseQuantity: null,
    });
    // Unit prices keep up to 6 decimals when they have them.
    assert.deepEqual(linePrice(3_00n, 33_333333n, 100_00n, 2), {
      price: '33.333333',
      baseQuantity: null,
    });
  });

  it('BR-O-02: an invoice not subject to VAT states neither VAT id and no rate', () => {
    const O = {
      code: 'O',
      category: 'O' as const,
      rate: 0n,
      exemptionReason: 'Not subject to VAT',
    };
    const m = toEn16931(invoiceDocument({ details: [detail({ tax: O })] }), 'en16931');
    assert.equal(m.seller.vatId, null);
    assert.equal(m.buyer.vatId, null);
    assert.deepEqual(m.lines[0]!.vat, { category: 'O', rate: null });
    assert.equal(m.vatBreakdown[0]!.vat.rate, null);
  });

  it('BR-IC-12: an intra-community supply names the buyer country as deliver-to country', () => {
    const K = {
      code: 'K',
      category: 'K' as const,
      rate: 0n,
      exemptionReason: 'Intra-community supply',
    };
    assert.equal(
      toEn16931(invoiceDocument({ details: [detail({ tax: K })] }), 'en16931').deliverToCountry,
      'BE',
    );
    assert.equal(
      toEn16931(invoiceDocument({ details: [detail({ tax: RC })] }), 'en16931').deliverToCountry,
      null,
    );
  });

  it('BG-14: the invoicing period runs from the first to the last line date', () => {
    const m = toEn16931(
      invoiceDocument({
        details: [
          detail({ date: '2026-01-20' }),
          detail({ date: '2026-01-03' }),
          detail({ date: '2026-01-11' }),
        ],
        buyer: buyer(),
      }),
      'en16931',
    );
    assert.deepEqual(m.invoicingPeriod, { start: '2026-01-03', end: '2026-01-20' });
  });
});
