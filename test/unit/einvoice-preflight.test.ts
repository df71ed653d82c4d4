import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  belgianEnterpriseNumberOk,
  glnOk,
  norwegianOrganisationNumberOk,
} from '../../src/domain/einvoice/identifiers.js';
import { preflight } from '../../src/domain/einvoice/preflight.js';
import {
  buyer,
  detail,
  EX,
  invoiceDocument,
  RC,
  retainer,
  seller,
} from '../support/invoice-documents.js';

const fields = (errors: { field: string }[]) => errors.map((e) => e.field);

describe('R81 e-invoice preflight', () => {
  it('R81: a complete invoice has no findings, in both profiles', () => {
    assert.deepEqual(preflight(invoiceDocument(), 'en16931'), []);
    assert.deepEqual(preflight(invoiceDocument(), 'peppol'), []);
  });

  it('R81: a missing seller VAT id under category S names BT-31 and BR-S-02', () => {
    const errors = preflight(invoiceDocument({ seller: seller({ vatId: null }) }), 'en16931');
    assert.deepEqual(errors, [
      { field: 'seller.vatId', message: 'BT-31 is required for VAT category S (BR-S-02)' },
    ]);
  });

  it('R81: a missing buyer address names BG-8 (BR-10) and its country BT-55 (BR-11)', () => {
    const errors = preflight(invoiceDocument({ buyer: buyer({ address: null }) }), 'en16931');
    assert.deepEqual(fields(errors), ['buyer.address', 'buyer.address.country']);
    assert.match(errors[1]!.message, /BT-55.*BR-11/);
  });

  it('R81: an empty buyer country names BT-55 (BR-11)', () => {
    const b = buyer();
    const errors = preflight(
      invoiceDocument({ buyer: { ...b, address: { ...b.address!, country: '' } } }),
      'en16931',
    );
    assert.deepEqual(fields(errors), ['buyer.address.country']);
  });

  it('R81: a chargeable detail without tax code names its path, BT-151 and BR-CO-04', () => {
    const errors = preflight(
      invoiceDocument({ details: [detail(), detail({ tax: null, description: 'Workshop' })] }),
      'en16931',
    );
    assert.deepEqual(errors, [
      {
        field: 'lines.0.details.1.taxCode',
        message: 'BT-151 is required: detail "Workshop" has no tax code (BR-CO-04)',
      },
    ]);
  });

  it('R81: a non-chargeable detail without tax code is no finding (it is not a line)', () => {
    const errors = preflight(
      invoiceDocument({ details: [detail(), detail({ tax: null, billingType: 'NonChargeable' })] }),
      'en16931',
    );
    assert.deepEqual(errors, []);
  });

  it('R81: a retainer applied without tax code names BT-95 (BR-32)', () => {
    const errors = preflight(invoiceDocument({ retainers: [retainer({ tax: null })] }), 'en16931');
    assert.deepEqual(fields(errors), ['appliedRetainers.0.taxCode']);
  });

  it('R81: a currency with 3 decimals (KWD) is refused', () => {
    const errors = preflight(invoiceDocument({ currency: 'KWD', currencyExponent: 3 }), 'en16931');
    assert.deepEqual(fields(errors), ['currency']);
    assert.match(errors[0]!.message, /BT-5 KWD has 3 decimals/);
  });

  it('R81: reverse charge needs the buyer VAT id or registration id (BR-AE-02)', () => {
    const doc = invoiceDocument({
      details: [detail({ tax: RC })],
      buyer: buyer({ vatId: null, companyId: null }),
    });
    assert.deepEqual(preflight(doc, 'en16931'), [
      {
        field: 'buyer.vatId',
        message: 'BT-48 or BT-47 is required for VAT category AE (BR-AE-02)',
      },
    ]);
  });

  it('R81: exempt without exemption reason names BT-120 (BR-E-10)', () => {
    const doc = invoiceDocument({ details: [detail({ tax: EX })] });
    const errors = preflight({ ...doc, taxBreakdown: [{ ...doc.taxBreakdown[0]! }] }, 'en16931');
    assert.deepEqual(errors, []);
    const withoutReason = { ...doc.taxBreakdown[0]! };
    delete withoutReason.exemptionReason;
    assert.deepEqual(fields(preflight({ ...doc, taxBreakdown: [withoutReason] }, 'en16931')), [
      'taxBreakdown.0.exemptionReason',
    ]);
  });

  it('BR-O-11: category O cannot be mixed with others; BR-CO-26 then needs the registration id', () => {
    const O = {
      code: 'O',
      category: 'O' as const,
      rate: 0n,
      exemptionReason: 'Not subject to VAT',
    };
    const mixed = invoiceDocument({ details: [detail({ tax: O }), detail()] });
    assert.deepEqual(fields(preflight(mixed, 'en16931')), ['taxBreakdown']);
    const noId = invoiceDocument({
      details: [detail({ tax: O })],
      seller: seller({ companyId: null }),
    });
    assert.deepEqual(fields(preflight(noId, 'en16931')), ['seller.companyId']);
  });

  it('BR-CL-14, BR-CO-09: Kosovo (XK) is no EN 16931 country code; Greece EL and XI are VAT prefixes', () => {
    const b = buyer();
    const kosovo = invoiceDocument({
      buyer: { ...b, vatId: 'XK123456', address: { ...b.address!, country: 'XK' } },
    });
    assert.deepEqual(fields(preflight(kosovo, 'en16931')), [
      'buyer.address.country',
      'buyer.vatId',
    ]);
    assert.deepEqual(
      preflight(invoiceDocument({ buyer: buyer({ vatId: 'EL123456789' }) }), 'en16931'),
      [],
    );
    assert.deepEqual(
      preflight(invoiceDocument({ buyer: buyer({ vatId: 'XI123456789' }) }), 'en16931'),
      [],
    );
  });

  it('BR-CO-09: a VAT id must start with a country code', () => {
    const errors = preflight(
      invoiceDocument({ seller: seller({ vatId: '123456789' }) }),
      'en16931',
    );
    assert.deepEqual(fields(errors), ['seller.vatId']);
    assert.match(errors[0]!.message, /BR-CO-09/);
  });

  it('R81: Peppol without buyer reference or purchase order names BT-10 (PEPPOL-EN16931-R003)', () => {
    const doc = invoiceDocument({ buyerReference: null, purchaseOrder: null });
    assert.deepEqual(preflight(doc, 'en16931'), []);
    assert.deepEqual(preflight(doc, 'peppol'), [
      {
        field: 'buyerReference',
        message:
          'BT-10 or BT-13 (purchase order) is required by Peppol BIS Billing 3.0 (PEPPOL-EN16931-R003)',
      },
    ]);
    // A purchase order alone is enough.
    assert.deepEqual(preflight({ ...doc, purchaseOrder: 'PO-1' }, 'peppol'), []);
  });

  it('R81: Peppol needs both electronic addresses (PEPPOL-EN16931-R010, R020)', () => {
    const doc = invoiceDocument({
      seller: seller({ electronicAddress: null }),
      buyer: buyer({ electronicAddress: null }),
    });
    assert.deepEqual(preflight(doc, 'en16931'), []);
    const errors = preflight(doc, 'peppol');
    assert.deepEqual(fields(errors), ['seller.electronicAddress', 'buyer.electronicAddress']);
    assert.match(errors[0]!.message, /BT-34.*PEPPOL-EN16931-R020/);
    assert.match(errors[1]!.message, /BT-49.*PEPPOL-EN16931-R010/);
  });

  it('BR-CL-25: an electronic address scheme outside the EAS list is refused', () => {
    const doc = invoiceDocument({
      buyer: buyer({ electronicAddress: { scheme: 'XX', value: '1' } }),
    });
    assert.deepEqual(fields(preflight(doc, 'en16931')), ['buyer.electronicAddress']);
  });

  it('PEPPOL-EN16931-CL008: schemes of the CEF list that Peppol does not take (EM, 0246) are refused under Peppol only', () => {
    for (const scheme of ['EM', '0246']) {
      const doc = invoiceDocument({
        buyer: buyer({ electronicAddress: { scheme, value: 'x@y.example' } }),
      });
      assert.deepEqual(preflight(doc, 'en16931'), []);
      assert.deepEqual(fields(preflight(doc, 'peppol')), ['buyer.electronicAddress']);
    }
  });

  it('PEPPOL-COMMON-R043: a Belgian enterprise number needs valid check digits under Peppol', () => {
    const doc = invoiceDocument({
      buyer: buyer({ electronicAddress: { scheme: '0208', value: '0123456748' } }),
    });
    assert.deepEqual(preflight(doc, 'en16931'), []);
    assert.deepEqual(fields(preflight(doc, 'peppol')), ['buyer.electronicAddress']);
  });

  it('check digits: GLN, Belgian enterprise number, Norwegian organisation number', () => {
    assert.equal(glnOk('5790000435975'), true);
    assert.equal(glnOk('5790000435976'), false);
    assert.equal(belgianEnterpriseNumberOk('0123456749'), true);
    assert.equal(belgianEnterpriseNumberOk('0123456748'), false);
    assert.equal(norwegianOrganisationNumberOk('974760673'), true);
    assert.equal(norwegianOrganisationNumberOk('974760674'), false);
  });

  it('R81: every finding at once, in a stable order', () => {
    const doc = invoiceDocument({
      seller: seller({ vatId: null, companyId: null, electronicAddress: null }),
      buyer: buyer({ address: null }),
      details: [detail(), detail({ tax: null })],
      buyerReference: null,
      purchaseOrder: null,
    });
    assert.deepEqual(fields(preflight(doc, 'peppol')), [
      'buyer.address',
      'buyer.address.country',
      'lines.0.details.1.taxCode',
      'seller.vatId',
      'seller.companyId',
      'seller.electronicAddress',
      'buyerReference',
    ]);
  });
});
