import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  detailTaxCodeId,
  dueDate,
  invoiceDateTooEarly,
  invoiceReferences,
  paymentTermsDays,
} from '../../src/domain/invoice-terms.js';
import {
  EAS_CODES,
  isCountryCode,
  isEasScheme,
  isEmail,
  isIban,
  isVatIdShape,
  normalizeIban,
} from '../../src/domain/parties.js';
import {
  drawRetainersByGroup,
  refitApplicationsByGroup,
} from '../../src/domain/retainer-groups.js';
import type { TaxGroup } from '../../src/domain/tax-totals.js';

const orNull = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });

describe('R75 terms and references', () => {
  it('R75: the contract’s terms, else the customer’s, else the seller’s default, else 30', () => {
    const terms = (c: number | null, k: number | null, s: number | null) =>
      paymentTermsDays({
        contract: { paymentTermsDays: c },
        customer: { paymentTermsDays: k },
        seller: s === null ? null : { defaultPaymentTermsDays: s },
      });
    assert.equal(terms(10, 20, 45), 10);
    assert.equal(terms(null, 20, 45), 20);
    assert.equal(terms(null, null, 45), 45);
    assert.equal(terms(null, null, null), 30);
    // 0 is a term (due on receipt), not "unset".
    assert.equal(terms(0, 20, 45), 0);
    assert.equal(terms(null, 0, 45), 0);
  });

  it('R75: due date = invoice date + terms, across month and year ends', () => {
    assert.equal(dueDate('2026-12-31', 30), '2027-01-30');
    assert.equal(dueDate('2028-02-15', 14), '2028-02-29');
    assert.equal(dueDate('2026-03-31', 0), '2026-03-31');
  });

  it('R75: the due date is never before the invoice date and moves with it day by day', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1990-01-01'), max: new Date('2090-12-31'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 3650 }),
        (d, days) => {
          const iso = d.toISOString().slice(0, 10);
          const due = dueDate(iso, days);
          const diff = (Date.parse(due) - Date.parse(iso)) / 86_400_000;
          assert.equal(diff, days);
        },
      ),
    );
  });

  it('R75: purchase order from the contract; buyer reference from the contract, else the customer', () => {
    assert.deepEqual(
      invoiceReferences({
        contract: { purchaseOrder: 'PO-1', buyerReference: null },
        customer: { buyerReference: 'BR-C' },
      }),
      { purchaseOrder: 'PO-1', buyerReference: 'BR-C' },
    );
    assert.deepEqual(
      invoiceReferences({
        contract: { purchaseOrder: null, buyerReference: 'BR-K' },
        customer: { buyerReference: 'BR-C' },
      }),
      { purchaseOrder: null, buyerReference: 'BR-K' },
    );
  });

  it('R75: an invoice date before a detail’s date names the latest detail date', () => {
    assert.equal(invoiceDateTooEarly('2026-03-01', ['2026-02-01', '2026-03-05']), '2026-03-05');
    assert.equal(invoiceDateTooEarly('2026-03-05', ['2026-02-01', '2026-03-05']), null);
    assert.equal(invoiceDateTooEarly('2026-03-05', []), null);
  });
});

describe('R73 tax code precedence', () => {
  it('R73: the customer’s override, else the item’s code, else the seller’s default', () => {
    fc.assert(
      fc.property(orNull(fc.string()), orNull(fc.string()), orNull(fc.string()), (c, i, s) => {
        const got = detailTaxCodeId({ customerOverride: c, itemCode: i, sellerDefault: s });
        assert.equal(got, c !== null ? c : i !== null ? i : s);
      }),
    );
  });
});

describe('R70, R71 party checks', () => {
  it('ISO 3166-1 alpha-2 country codes: every assigned code, upper case only', () => {
    for (const c of ['DE', 'FR', 'US', 'JP', 'CH', 'NO', 'GR', 'AX', 'BQ', 'SS']) {
      assert.ok(isCountryCode(c), c);
    }
    for (const c of ['XX', 'UK', 'EL', 'de', 'DEU', '', 'D']) assert.ok(!isCountryCode(c), c);
  });

  it('IBAN: mod-97 check digits, spaces and case as people type them', () => {
    assert.ok(isIban('DE89370400440532013000'));
    assert.ok(isIban('de89 3704 0044 0532 0130 00'));
    assert.ok(isIban('GB82WEST12345698765432'));
    assert.equal(normalizeIban('de89 3704 0044 0532 0130 00'), 'DE89370400440532013000');
    // One digit changed: the check digits no longer match.
    assert.ok(!isIban('DE89370400440532013001'));
    assert.ok(!isIban('DE00370400440532013000'));
    assert.ok(!isIban('not an iban'));
  });

  it('VAT id shape: a two-letter prefix and 2–13 characters', () => {
    for (const v of [
      'DE123456789',
      'ATU12345678',
      'EL123456789',
      'XI123456789',
      'NL123456789B01',
    ]) {
      assert.ok(isVatIdShape(v), v);
    }
    for (const v of ['123456789', 'D123', 'DE1', 'DE12345678901234', 'de123456789']) {
      assert.ok(!isVatIdShape(v), v);
    }
  });

  it('e-mail addresses', () => {
    assert.ok(isEmail('billing@example.com'));
    assert.ok(isEmail('first.last+tag@sub.example.co.uk'));
    for (const e of ['billing', 'billing@', '@example.com', 'a b@example.com', 'a@example']) {
      assert.ok(!isEmail(e), e);
    }
  });

  it('EAS scheme codes are exactly those of the EN 16931 validation artefacts (BR-CL-25)', () => {
    const xslt = readFileSync(
      new URL('../../../shared/einvoice/rules/EN16931-UBL-validation.xslt', import.meta.url),
      'utf8',
    );
    const rule = xslt.indexOf('[BR-CL-25]');
    assert.ok(rule > 0, 'BR-CL-25 is in the artefacts');
    const test = xslt.lastIndexOf("contains(' ", rule);
    const list = xslt.slice(test + "contains(' ".length, xslt.indexOf("'", test + 11)).trim();
    assert.deepEqual([...EAS_CODES].sort(), list.split(/\s+/).sort());
    assert.ok(isEasScheme('0208') && isEasScheme('EM') && !isEasScheme('0000'));
  });
});

const S19: TaxGroup = { category: 'S', rate: 1900n };
const AE: TaxGroup = { category: 'AE', rate: 0n, exemptionReason: 'Reverse charge' };
const group = fc.constantFrom<TaxGroup | null>(S19, AE, null);

describe('R52 with R74: retainers per tax group', () => {
  it('R52: a retainer billed at S19 takes only the S19 work; the rest stays due', () => {
    const draws = drawRetainersByGroup(
      [
        { amount: 300_00n, taxGroup: S19 },
        { amount: 700_00n, taxGroup: AE },
      ],
      [{ id: 'r1', available: 1000_00n, group: S19 }],
    );
    assert.deepEqual(draws, [{ retainerId: 'r1', amount: 300_00n }]);
  });

  it('R52: with no tax code anywhere it is R52 over the total, oldest first', () => {
    const draws = drawRetainersByGroup(
      [{ amount: 500_00n, taxGroup: null }],
      [
        { id: 'old', available: 300_00n, group: null },
        { id: 'new', available: 300_00n, group: null },
      ],
    );
    assert.deepEqual(draws, [
      { retainerId: 'old', amount: 300_00n },
      { retainerId: 'new', amount: 200_00n },
    ]);
  });

  it('R74: draws never make a group negative, never exceed availability', () => {
    const key = (x: TaxGroup | null) => (x ? `${x.category}${x.rate}` : '');
    fc.assert(
      fc.property(
        fc.array(fc.record({ amount: fc.bigInt({ min: 0n, max: 10n ** 8n }), taxGroup: group })),
        fc.array(fc.record({ available: fc.bigInt({ min: 0n, max: 10n ** 8n }), group })),
        (work, specs) => {
          const retainers = specs.map((r, i) => ({ ...r, id: `r${i}` }));
          const draws = drawRetainersByGroup(work, retainers);
          const byId = new Map(retainers.map((r) => [r.id, r]));
          for (const d of draws) {
            assert.ok(d.amount > 0n);
            assert.ok(d.amount <= (byId.get(d.retainerId)?.available ?? 0n));
          }
          for (const g of [S19, AE, null]) {
            const chargeable = work
              .filter((w) => key(w.taxGroup) === key(g))
              .reduce((s, w) => s + w.amount, 0n);
            const drawn = draws
              .filter((d) => key(byId.get(d.retainerId)?.group ?? null) === key(g))
              .reduce((s, d) => s + d.amount, 0n);
            assert.ok(drawn <= chargeable, `group ${key(g)}: ${drawn} > ${chargeable}`);
          }
        },
      ),
    );
  });

  it('R52: after an edit the newest application in the shrunk group gives way first', () => {
    const changed = refitApplicationsByGroup(
      [
        { amount: 100_00n, taxGroup: S19 },
        { amount: 500_00n, taxGroup: AE },
      ],
      [
        { retainerId: 'old', amount: 80_00n, group: S19 },
        { retainerId: 'mid', amount: 200_00n, group: AE },
        { retainerId: 'new', amount: 50_00n, group: S19 },
      ],
    );
    assert.deepEqual(changed, [{ retainerId: 'new', amount: 20_00n }]);
  });

  it('R52: a refit never raises an application and leaves no group over its work', () => {
    const key = (x: TaxGroup | null) => (x ? `${x.category}${x.rate}` : '');
    fc.assert(
      fc.property(
        fc.array(fc.record({ amount: fc.bigInt({ min: 0n, max: 10n ** 8n }), taxGroup: group })),
        fc.array(fc.record({ amount: fc.bigInt({ min: 1n, max: 10n ** 8n }), group })),
        (work, specs) => {
          const apps = specs.map((a, i) => ({ ...a, retainerId: `r${i}` }));
          const changed = new Map(
            refitApplicationsByGroup(work, apps).map((c) => [c.retainerId, c.amount]),
          );
          const after = apps.map((a) => ({ ...a, amount: changed.get(a.retainerId) ?? a.amount }));
          after.forEach((a, i) => assert.ok(a.amount >= 0n && a.amount <= apps[i]!.amount));
          for (const g of [S19, AE, null]) {
            const chargeable = work
              .filter((w) => key(w.taxGroup) === key(g))
              .reduce((s, w) => s + w.amount, 0n);
            const applied = after
              .filter((a) => key(a.group) === key(g))
              .reduce((s, a) => s + a.amount, 0n);
            const before = apps
              .filter((a) => key(a.group) === key(g))
              .reduce((s, a) => s + a.amount, 0n);
            // Within the group's work, and as much of it as was applied before.
            assert.equal(applied, before < chargeable ? before : chargeable);
          }
        },
      ),
    );
  });
});
