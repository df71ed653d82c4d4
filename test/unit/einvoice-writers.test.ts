import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { writeEinvoice } from '../../src/einvoice/write.js';
import type { InvoiceDocument } from '../../src/domain/invoice-document.js';
import { detail, invoiceDocument, retainer, S7, seller } from '../support/invoice-documents.js';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  isArray: (name) =>
    [
      'cac:InvoiceLine',
      'cac:CreditNoteLine',
      'cac:TaxSubtotal',
      'cac:AllowanceCharge',
      'ram:IncludedSupplyChainTradeLineItem',
      'ram:ApplicableTradeTax',
      'ram:SpecifiedTradeAllowanceCharge',
    ].includes(name),
});

function xml(
  doc: InvoiceDocument,
  syntax: 'ubl' | 'cii',
  profile: 'en16931' | 'peppol' = 'en16931',
) {
  const out = writeEinvoice(doc, syntax, profile);
  assert.ok(out.ok, JSON.stringify(!out.ok && out.errors));
  return { text: out.xml, tree: parser.parse(out.xml) as Record<string, any> };
}

const text = (node: any): string => (typeof node === 'object' ? node['#text'] : node);

const credit = () =>
  invoiceDocument({
    kind: 'CreditNote',
    number: 'INV-000043',
    correctsNumber: 'INV-000042',
    correctsInvoiceDate: '2026-01-31',
    details: [detail({ quantity: -2_00n, amount: -400_00n })],
  });

describe('R80 UBL 2.1 writer', () => {
  it('R80: an invoice is a UBL Invoice of type 380 with the EN 16931 specification id', () => {
    const inv = xml(invoiceDocument(), 'ubl').tree.Invoice;
    assert.equal(inv['@xmlns'], 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2');
    assert.equal(inv['cbc:CustomizationID'], 'urn:cen.eu:en16931:2017');
    assert.equal(inv['cbc:ProfileID'], undefined);
    assert.equal(inv['cbc:InvoiceTypeCode'], '380');
    assert.equal(inv['cbc:ID'], 'INV-000042');
    assert.equal(inv['cbc:DueDate'], '2026-03-02');
    assert.equal(inv['cbc:BuyerReference'], 'REF-1');
    assert.equal(inv['cac:OrderReference']['cbc:ID'], 'PO-7');
    const line = inv['cac:InvoiceLine'][0];
    assert.equal(text(line['cbc:InvoicedQuantity']), '8.00');
    assert.equal(line['cbc:InvoicedQuantity']['@unitCode'], 'HUR');
    assert.equal(text(line['cbc:LineExtensionAmount']), '1600.00');
    assert.equal(line['cbc:LineExtensionAmount']['@currencyID'], 'EUR');
    assert.equal(text(line['cac:Price']['cbc:PriceAmount']), '200.00');
    assert.equal(text(inv['cac:LegalMonetaryTotal']['cbc:PayableAmount']), '1904.00');
  });

  it('R80: a correction is a UBL CreditNote of type 381 with positive amounts and BT-25', () => {
    const cn = xml(credit(), 'ubl').tree.CreditNote;
    assert.equal(cn['cbc:CreditNoteTypeCode'], '381');
    assert.equal(
      cn['cac:BillingReference']['cac:InvoiceDocumentReference']['cbc:ID'],
      'INV-000042',
    );
    const line = cn['cac:CreditNoteLine'][0];
    assert.equal(text(line['cbc:CreditedQuantity']), '2.00');
    assert.equal(text(line['cbc:LineExtensionAmount']), '400.00');
    assert.equal(text(cn['cac:TaxTotal']['cbc:TaxAmount']), '76.00');
    assert.equal(text(cn['cac:LegalMonetaryTotal']['cbc:PayableAmount']), '476.00');
    // UBL 2.1's CreditNote carries BT-9 in the payment means.
    assert.equal(cn['cac:PaymentMeans']['cbc:PaymentDueDate'], '2026-03-02');
  });

  it('R82: a retainer is an allowance (ChargeIndicator false) in its tax group, one subtotal per group', () => {
    const inv = xml(
      invoiceDocument({
        details: [
          detail({ amount: 1000_00n, quantity: 5_00n }),
          detail({ amount: 500_00n, quantity: 2_50n, tax: S7 }),
        ],
        retainers: [retainer({ amount: 400_00n })],
      }),
      'ubl',
    ).tree.Invoice;
    const a = inv['cac:AllowanceCharge'][0];
    assert.equal(a['cbc:ChargeIndicator'], 'false');
    assert.equal(text(a['cbc:Amount']), '400.00');
    assert.equal(a['cac:TaxCategory']['cbc:ID'], 'S');
    assert.equal(a['cac:TaxCategory']['cbc:Percent'], '19.00');
    assert.deepEqual(
      inv['cac:TaxTotal']['cac:TaxSubtotal'].map((s: any) => [
        text(s['cbc:TaxableAmount']),
        text(s['cbc:TaxAmount']),
        s['cac:TaxCategory']['cbc:Percent'],
      ]),
      [
        ['600.00', '114.00', '19.00'],
        ['500.00', '35.00', '7.00'],
      ],
    );
    const t = inv['cac:LegalMonetaryTotal'];
    assert.deepEqual(
      [
        'cbc:LineExtensionAmount',
        'cbc:AllowanceTotalAmount',
        'cbc:TaxExclusiveAmount',
        'cbc:TaxInclusiveAmount',
      ].map((k) => text(t[k])),
      ['1500.00', '400.00', '1100.00', '1249.00'],
    );
  });

  it('R82: payment means 58 with the IBAN; electronic addresses with their schemes', () => {
    const inv = xml(invoiceDocument(), 'ubl').tree.Invoice;
    assert.equal(inv['cac:PaymentMeans']['cbc:PaymentMeansCode'], '58');
    assert.equal(
      inv['cac:PaymentMeans']['cac:PayeeFinancialAccount']['cbc:ID'],
      'DE89370400440532013000',
    );
    const endpoint = inv['cac:AccountingCustomerParty']['cac:Party']['cbc:EndpointID'];
    assert.deepEqual([endpoint['@schemeID'], text(endpoint)], ['0208', '0123456749']);
  });

  it('R80: profile peppol writes the Peppol BIS Billing 3.0 customization and profile ids', () => {
    const inv = xml(invoiceDocument(), 'ubl', 'peppol').tree.Invoice;
    assert.equal(
      inv['cbc:CustomizationID'],
      'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0',
    );
    assert.equal(inv['cbc:ProfileID'], 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0');
  });

  it('text is escaped by the XML library, and no element is left empty', () => {
    const out = xml(
      invoiceDocument({
        details: [detail({ description: 'R&D <phase 1>' })],
        note: null,
        seller: seller({ phone: null }),
      }),
      'ubl',
    );
    assert.match(out.text, /R&amp;D &lt;phase 1&gt;/);
    assert.doesNotMatch(out.text, /<([a-zA-Z:]+)[^>]*>\s*<\/\1>|<[a-zA-Z:]+[^>]*\/>/);
  });
});

describe('R80 CII D16B writer', () => {
  it('R80: an invoice is a CrossIndustryInvoice of type 380 with line and header amounts', () => {
    const cii = xml(invoiceDocument({ retainers: [retainer()] }), 'cii').tree[
      'rsm:CrossIndustryInvoice'
    ];
    assert.equal(cii['rsm:ExchangedDocument']['ram:TypeCode'], '380');
    assert.equal(
      cii['rsm:ExchangedDocumentContext']['ram:GuidelineSpecifiedDocumentContextParameter'][
        'ram:ID'
      ],
      'urn:cen.eu:en16931:2017',
    );
    const tx = cii['rsm:SupplyChainTradeTransaction'];
    const line = tx['ram:IncludedSupplyChainTradeLineItem'][0];
    assert.equal(text(line['ram:SpecifiedLineTradeDelivery']['ram:BilledQuantity']), '8.00');
    assert.equal(line['ram:SpecifiedLineTradeDelivery']['ram:BilledQuantity']['@unitCode'], 'HUR');
    const settlement = tx['ram:ApplicableHeaderTradeSettlement'];
    const allowance = settlement['ram:SpecifiedTradeAllowanceCharge'][0];
    assert.equal(allowance['ram:ChargeIndicator']['udt:Indicator'], 'false');
    assert.equal(allowance['ram:ActualAmount'], '400.00');
    const tax = settlement['ram:ApplicableTradeTax'][0];
    assert.deepEqual([tax['ram:BasisAmount'], tax['ram:CalculatedAmount']], ['1200.00', '228.00']);
    const sum = settlement['ram:SpecifiedTradeSettlementHeaderMonetarySummation'];
    assert.deepEqual(
      [
        sum['ram:LineTotalAmount'],
        sum['ram:AllowanceTotalAmount'],
        sum['ram:TaxBasisTotalAmount'],
        text(sum['ram:TaxTotalAmount']),
        sum['ram:DuePayableAmount'],
      ],
      ['1600.00', '400.00', '1200.00', '228.00', '1428.00'],
    );
    assert.equal(
      settlement['ram:SpecifiedTradePaymentTerms']['ram:DueDateDateTime']['udt:DateTimeString'][
        '#text'
      ],
      '20260302',
    );
  });

  it('R80: a correction is type 381 with positive amounts and BT-25 in InvoiceReferencedDocument', () => {
    const cii = xml(credit(), 'cii').tree['rsm:CrossIndustryInvoice'];
    assert.equal(cii['rsm:ExchangedDocument']['ram:TypeCode'], '381');
    const tx = cii['rsm:SupplyChainTradeTransaction'];
    const settlement = tx['ram:ApplicableHeaderTradeSettlement'];
    assert.equal(settlement['ram:InvoiceReferencedDocument']['ram:IssuerAssignedID'], 'INV-000042');
    assert.equal(
      text(
        tx['ram:IncludedSupplyChainTradeLineItem'][0]['ram:SpecifiedLineTradeDelivery'][
          'ram:BilledQuantity'
        ],
      ),
      '2.00',
    );
    assert.equal(
      settlement['ram:SpecifiedTradeSettlementHeaderMonetarySummation']['ram:DuePayableAmount'],
      '476.00',
    );
  });

  it('R80: profile peppol writes the business process in the document context', () => {
    const cii = xml(invoiceDocument(), 'cii', 'peppol').tree['rsm:CrossIndustryInvoice'];
    const ctx = cii['rsm:ExchangedDocumentContext'];
    assert.equal(
      ctx['ram:BusinessProcessSpecifiedDocumentContextParameter']['ram:ID'],
      'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0',
    );
    assert.equal(
      ctx['ram:GuidelineSpecifiedDocumentContextParameter']['ram:ID'],
      'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0',
    );
  });

  it('R81: an incomplete invoice yields its findings and no XML', () => {
    const out = writeEinvoice(
      invoiceDocument({ currency: 'KWD', currencyExponent: 3 }),
      'cii',
      'en16931',
    );
    assert.equal(out.ok, false);
  });
});
