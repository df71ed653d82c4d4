import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  CONTENT_BOTTOM,
  countPages,
  layoutInvoice,
  type Measure,
  type Placement,
} from '../../src/documents/invoice-layout.js';
import { detail, sampleDocument } from '../support/invoice-document.js';

/** A monospaced stand-in for font metrics: 0.5 em per character, 1.2 em per line. */
const measure: Measure = (text, _font, size, width) =>
  text
    .split('\n')
    .reduce((h, line) => h + Math.max(1, Math.ceil((line.length * size * 0.5) / width)), 0) *
  size *
  1.2;

function pagesOf(placements: Placement[]): Placement[][] {
  const pages: Placement[][] = [];
  for (const p of placements) {
    if (p.type === 'page') pages.push([]);
    else pages.at(-1)!.push(p);
  }
  return pages;
}

describe('R78 invoice layout', () => {
  it('R78: pages fill to the footer, tables repeat their header, headings never end a page', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ maxLength: 400 }), { minLength: 1, maxLength: 80 }), {
          minLength: 1,
          maxLength: 4,
        }),
        (lines) => {
          const document = sampleDocument({
            lines: lines.map((descriptions, l) => ({
              contractLineId: `l-${l}`,
              name: `Line ${l}`,
              amount: 0n,
              details: descriptions.map((description, i) => detail(i, { description })),
            })),
          });
          const placements = [...layoutInvoice(document, measure)];
          const pages = pagesOf(placements);
          assert.equal(countPages(document, measure), pages.length);
          const details = placements.filter((p) => p.type === 'detail').length;
          assert.equal(details, lines.flat().length, 'every detail is placed once');
          for (const [n, page] of pages.entries()) {
            for (const p of page) {
              if ('height' in p && 'y' in p) assert.ok(p.y + p.height <= CONTENT_BOTTOM + 0.001);
            }
            const firstDetail = page.findIndex((p) => p.type === 'detail');
            if (n > 0 && firstDetail >= 0) {
              assert.equal(page[firstDetail - 1]?.type, 'detailHeader', `page ${n + 1}`);
            }
            const last = page.at(-1);
            assert.notEqual(last?.type, 'lineHeading');
            assert.notEqual(last?.type, 'detailHeader');
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
