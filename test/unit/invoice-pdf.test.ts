import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { writeInvoicePdf } from '../../src/documents/invoice-pdf.js';
import {
  longDocument,
  pdfPages,
  renderPdf,
  sampleDocument,
  detail,
} from '../support/invoice-document.js';

/** Text extractors space out items; tests compare on single spaces. */
const squeeze = (text: string) => text.replace(/\s+/g, ' ');

async function textOf(pdf: Buffer): Promise<string> {
  return squeeze((await pdfPages(pdf)).join(' '));
}

/** The trailer /ID: two hex strings. */
function trailerId(pdf: Buffer): string {
  const m = /\/ID \[<([0-9a-f]+)> <([0-9a-f]+)>\]/.exec(pdf.toString('latin1'));
  assert.ok(m, 'trailer has an /ID');
  return m[1]!;
}

describe('R78 invoice document (PDF)', () => {
  it('R78: prints both parties, the particulars, every detail, the tax breakdown and the amount due', async () => {
    const text = await textOf(await renderPdf(sampleDocument()));
    for (const expected of [
      // seller block
      'Müller & Søn Beratung GmbH',
      'Königstraße 12',
      '70173 Stuttgart',
      'VAT ID DE123456789',
      // buyer block
      'Café Crème SARL',
      '5 rue de l’Église',
      'Bâtiment B',
      'VAT ID FR40303265045',
      // title and particulars
      'Invoice',
      'Number INV-000042',
      'Invoice date 2026-11-30',
      'Due date 2026-12-30 (30 days)',
      'Purchase order PO-7781',
      'Buyer reference BR-Lyon-12',
      'Contract Digital strategy 2026',
      // lines and details: date, description, quantity, unit price, amount, tax rate
      'Consulting (T&M) € 1,800.00',
      '2026-11-02 Workshop preparation 1 Élodie Martin · Senior consultant 7.50 120.00 900.00 19% S',
      'Stakeholder interviews, Zürich',
      'Travel time (goodwill)',
      'Complimentary: not charged',
      'Licences € 500.00',
      'Analytics licence, reverse charge 1 500.00 500.00 0% AE',
      // tax breakdown with exemption reasons
      'Standard rate (S) 19% 1,500.00 285.00',
      'Reverse charge (AE) 0% 500.00 0.00',
      'Reverse charge: VAT due by the recipient (Art. 196 VAT Directive)',
      // totals
      'Subtotal € 2,300.00',
      'Retainer applied: Advance October € -300.00',
      'Total before tax € 2,000.00',
      'Tax € 285.00',
      'Total due € 2,285.00',
      // note, payment, footer, page
      'Thank you for your business.',
      'IBAN DE89 3704 0044 0532 0130 00',
      'BIC COBADEFFXXX',
      'Payment reference INV-000042',
      'Registered in Stuttgart HRB 98765',
      'Page 1 of 1',
    ]) {
      assert.ok(text.includes(expected), `the document shows "${expected}"\n${text}`);
    }
    assert.ok(!text.includes('Pro forma'));
  });

  it('R78: a draft is a pro forma, marked as not a valid invoice, without a number', async () => {
    const text = await textOf(
      await renderPdf(sampleDocument({ kind: 'ProForma', number: null, confirmedAt: null })),
    );
    assert.ok(text.includes('Pro forma'));
    assert.ok(text.includes('Not a valid invoice'));
    assert.ok(text.includes('Pro forma: not a valid invoice.'), 'the footer says it on every page');
    assert.ok(text.includes('Number assigned on confirmation'));
    assert.ok(!/\bInvoice INV-/.test(text));
  });

  it('R78: a correction is a credit note naming the invoice it corrects', async () => {
    const text = await textOf(
      await renderPdf(
        sampleDocument({
          kind: 'CreditNote',
          number: 'INV-000043',
          correctsNumber: 'INV-000042',
          correctsInvoiceDate: '2026-11-30',
        }),
      ),
    );
    assert.ok(text.includes('Credit note'));
    assert.ok(text.includes('Corrects invoice INV-000042 of 2026-11-30'));
    assert.ok(text.includes('Number INV-000043'));
  });

  it('R1, R78: amounts are printed exactly from minor units, in the currency’s decimals', async () => {
    // 2^53 + 1 minor units: a float would print ...992, not ...993.
    const huge = 9_007_199_254_740_993n;
    const text = await textOf(
      await renderPdf(
        sampleDocument({
          currency: 'JPY',
          currencyExponent: 0,
          lines: [
            {
              contractLineId: 'l-1',
              name: 'Fixed fee',
              amount: huge,
              details: [detail(1, { unitPrice: 1_500_000_000n, quantity: 300n, amount: 4_500n })],
            },
          ],
          appliedRetainers: [],
          subtotal: huge,
          total: huge,
          taxBreakdown: [],
          taxTotal: 0n,
          totalWithTax: huge,
        }),
      ),
    );
    assert.ok(text.includes('Total due ¥ 9,007,199,254,740,993'), text);
    assert.ok(text.includes('3 1,500 4,500'), 'quantity 3, unit price ¥1,500, amount ¥4,500');
    assert.ok(text.includes('Amount (JPY)'));
  });

  it('R78: the text is in an embedded font covering Latin-1 and €', async () => {
    const pdf = await renderPdf(sampleDocument());
    const raw = pdf.toString('latin1');
    assert.ok(/\/FontFile2 /.test(raw), 'a TrueType font program is embedded');
    assert.ok(/\/BaseFont \/[A-Z]{6}\+DejaVuSans\b/.test(raw), 'a subset of DejaVu Sans');
    const text = await textOf(pdf);
    for (const s of ['€', 'ß', 'ø', 'É', 'è', 'ü', '·']) assert.ok(text.includes(s), s);
  });

  it('R76, R78: a confirmed invoice is the same bytes on every rendering', async () => {
    const a = await renderPdf(sampleDocument(), { now: new Date('2027-01-01T00:00:00Z') });
    const b = await renderPdf(sampleDocument(), { now: new Date('2030-06-15T12:00:00Z') });
    assert.ok(a.equals(b), 'byte-identical');
    assert.ok(a.toString('latin1').includes('(D:20261130101500Z)'), 'created when confirmed');
  });

  it('R78: the document id follows the frozen data', async () => {
    const a = await renderPdf(sampleDocument());
    const b = await renderPdf(sampleDocument({ note: 'Another note.' }));
    assert.notEqual(trailerId(a), trailerId(b));
    assert.equal(trailerId(a), trailerId(await renderPdf(sampleDocument())));
  });

  it('R78: a 10,000-line invoice paginates with Page n of m and repeated table headers', async () => {
    const pages = (await pdfPages(await renderPdf(longDocument(10_000)))).map(squeeze);
    assert.ok(pages.length > 100, `${pages.length} pages`);
    for (const [i, page] of pages.entries()) {
      assert.ok(page.includes(`Page ${i + 1} of ${pages.length}`), `page ${i + 1} is numbered`);
      assert.ok(
        page.includes('Date Description Quantity Unit price Amount (EUR) Tax'),
        `page ${i + 1} has the table header`,
      );
      if (i > 0) assert.ok(page.includes('Consulting (T&M) (continued)'));
    }
    const all = pages.join(' ');
    for (let n = 1; n <= 10_000; n += 1) {
      assert.ok(all.includes(`Task ${n} of 10000 `), `detail ${n} is printed`);
    }
    assert.ok(pages.at(-1)!.includes('Total due € 10,710,000.00'));
  });

  it('R78: a 10,000-line invoice streams: heap growth stays bounded while pages are flushed', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const document = longDocument(10_000);
    gc();
    const base = process.memoryUsage().heapUsed;
    let peak = 0;
    let chunks = 0;
    let bytes = 0;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        chunks += 1;
        if (chunks % 250 === 0) {
          gc();
          peak = Math.max(peak, process.memoryUsage().heapUsed - base);
        }
        done();
      },
    });
    await writeInvoicePdf(document, sink);
    assert.ok(chunks > 1000, `output arrives in pieces (${chunks})`);
    assert.ok(bytes > 500_000, `${bytes} bytes written`);
    // Measured about 18 MB (mostly PDFKit's per-word glyph cache); a document held whole
    // as pages of objects would grow with every page.
    assert.ok(peak < 48_000_000, `heap grew ${(peak / 1e6).toFixed(1)} MB`);
  });
});
