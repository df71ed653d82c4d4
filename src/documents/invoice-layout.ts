/**
 * Where everything of an invoice document (R78) goes: pages and vertical positions, computed
 * without drawing. It runs twice over the same document, once to count the pages (so every
 * page can say `Page n of m` as it is written) and once to draw, and it yields placements one
 * at a time, so neither pass holds the pages of a 10,000-line invoice as objects.
 *
 * Pure: the only thing it asks of the outside is `measure`, the height a text takes in a
 * width (the renderer answers from the embedded font's metrics).
 */
import type {
  AppliedRetainer,
  DocumentDetail,
  DocumentLine,
  InvoiceDocument,
} from '../domain/invoice-document.js';
import type { TaxBreakdownLine } from '../domain/tax-totals.js';
import { detailDescription, documentSubtitle, formatIban, partyLines } from './document-text.js';

export type FontName = 'regular' | 'bold';

/** The height `text` takes when wrapped in `width` points. */
export type Measure = (text: string, font: FontName, size: number, width: number) => number;

/** A4 in points. */
export const PAGE = { width: 595.28, height: 841.89 } as const;
export const MARGIN = 48;
export const CONTENT_WIDTH = PAGE.width - 2 * MARGIN;
/** Pages after the first start with a one-line running header. */
export const CONTINUED_TOP = MARGIN + 22;
/** The footer (invoice footer text, `Page n of m`) lives below this line. */
export const CONTENT_BOTTOM = PAGE.height - MARGIN - 30;

export const SIZE = { title: 20, party: 9, table: 8, heading: 10, total: 9.5 } as const;
export const ROW_PADDING = 3;

/** The details table's columns: x offsets from the left margin, widths and alignment. */
export const DETAIL_COLUMNS = [
  { key: 'date', title: 'Date', x: 0, width: 52, align: 'left' },
  { key: 'description', title: 'Description', x: 56, width: 195, align: 'left' },
  { key: 'quantity', title: 'Quantity', x: 255, width: 48, align: 'right' },
  { key: 'unitPrice', title: 'Unit price', x: 307, width: 62, align: 'right' },
  { key: 'amount', title: 'Amount', x: 373, width: 72, align: 'right' },
  { key: 'tax', title: 'Tax', x: 449, width: CONTENT_WIDTH - 449, align: 'right' },
] as const;

export const TAX_COLUMNS = [
  { key: 'category', title: 'Tax', x: 0, width: 150, align: 'left' },
  { key: 'rate', title: 'Rate', x: 154, width: 40, align: 'right' },
  { key: 'taxable', title: 'Taxable amount', x: 198, width: 80, align: 'right' },
  { key: 'tax', title: 'Tax amount', x: 282, width: 72, align: 'right' },
  { key: 'reason', title: 'Exemption reason', x: 358, width: CONTENT_WIDTH - 358, align: 'left' },
] as const;

const DESCRIPTION_WIDTH = DETAIL_COLUMNS[1].width;
const REASON_WIDTH = TAX_COLUMNS[4].width;
const PARTY_WIDTH = CONTENT_WIDTH / 2 - 12;

export type TotalRow =
  | { kind: 'subtotal'; amount: bigint }
  | { kind: 'retainer'; retainer: AppliedRetainer }
  | { kind: 'net'; amount: bigint }
  | { kind: 'tax'; amount: bigint }
  | { kind: 'due'; amount: bigint };

/** One thing to draw at a vertical position `y` of the current page. */
export type Placement =
  | { type: 'page'; page: number }
  | { type: 'header'; y: number; height: number }
  | { type: 'lineHeading'; y: number; line: DocumentLine }
  | { type: 'detailHeader'; y: number; continued: DocumentLine | null }
  | { type: 'detail'; y: number; detail: DocumentDetail; height: number }
  | { type: 'sectionHeading'; y: number; title: string }
  | { type: 'taxHeader'; y: number }
  | { type: 'taxRow'; y: number; row: TaxBreakdownLine; height: number }
  | { type: 'totalRow'; y: number; row: TotalRow }
  | { type: 'text'; y: number; text: string; height: number };

export const LINE_HEADING_HEIGHT = 20;
export const TABLE_HEADER_HEIGHT = 15;
export const TOTAL_ROW_HEIGHT = 15;
const SECTION_HEADING_HEIGHT = 22;
const GAP = 10;

/** The seller, title and buyer blocks of the first page (drawn by the renderer from the same lines). */
export function headerHeight(document: InvoiceDocument, measure: Measure): number {
  const linesHeight = (lines: string[]) =>
    lines.reduce((sum, line) => sum + measure(line, 'regular', SIZE.party, PARTY_WIDTH), 0);
  const seller =
    measure(document.seller.legalName, 'bold', SIZE.heading, PARTY_WIDTH) +
    linesHeight(partyLines(document.seller));
  const subtitle = documentSubtitle(document);
  const title =
    measure('Invoice', 'bold', SIZE.title, PARTY_WIDTH) +
    (subtitle ? measure(subtitle, 'regular', SIZE.party, PARTY_WIDTH) : 0);
  const buyer =
    measure('Bill to', 'bold', SIZE.party, PARTY_WIDTH) +
    measure(document.buyer.legalName, 'bold', SIZE.heading, PARTY_WIDTH) +
    linesHeight(partyLines(document.buyer));
  const meta = metaRows(document).length * measure('X', 'regular', SIZE.party, PARTY_WIDTH);
  return Math.max(seller, title) + 2 * GAP + Math.max(buyer, meta) + GAP;
}

/** The invoice's particulars, label and value, printed beside the buyer (R75, R78). */
export function metaRows(document: InvoiceDocument): [string, string][] {
  const rows: [string, string][] = [
    ['Number', document.number ?? 'assigned on confirmation'],
    ['Invoice date', document.invoiceDate],
    ['Due date', document.dueDate],
  ];
  if (document.purchaseOrder) rows.push(['Purchase order', document.purchaseOrder]);
  if (document.buyerReference) rows.push(['Buyer reference', document.buyerReference]);
  rows.push(['Contract', document.contract.name]);
  rows.push(['Currency', document.currency]);
  return rows;
}

export function detailHeight(detail: DocumentDetail, measure: Measure): number {
  return (
    measure(detailDescription(detail), 'regular', SIZE.table, DESCRIPTION_WIDTH) + 2 * ROW_PADDING
  );
}

function taxRowHeight(row: TaxBreakdownLine, measure: Measure): number {
  const reason = row.exemptionReason ?? '';
  return (
    Math.max(
      measure('X', 'regular', SIZE.table, REASON_WIDTH),
      reason ? measure(reason, 'regular', SIZE.table, REASON_WIDTH) : 0,
    ) +
    2 * ROW_PADDING
  );
}

/** The payment block: instructions, bank account, the reference to quote (R78). */
export function paymentLines(document: InvoiceDocument): string[] {
  const seller = document.seller;
  const lines: string[] = [];
  if (seller.paymentInstructions) lines.push(seller.paymentInstructions);
  if (seller.bank) {
    lines.push(`IBAN ${formatIban(seller.bank.iban)}`);
    if (seller.bank.bic) lines.push(`BIC ${seller.bank.bic}`);
    if (seller.bank.accountName) lines.push(`Account name ${seller.bank.accountName}`);
  }
  lines.push(
    document.number
      ? `Payment reference ${document.number}`
      : 'Payment reference: the invoice number, given on confirmation',
  );
  lines.push(`Due date ${document.dueDate}`);
  return lines;
}

function totalRows(document: InvoiceDocument): TotalRow[] {
  const rows: TotalRow[] = [{ kind: 'subtotal', amount: document.subtotal }];
  for (const retainer of document.appliedRetainers) rows.push({ kind: 'retainer', retainer });
  if (document.appliedRetainers.length > 0) rows.push({ kind: 'net', amount: document.total });
  rows.push({ kind: 'tax', amount: document.taxTotal });
  rows.push({ kind: 'due', amount: document.totalWithTax });
  return rows;
}

/**
 * The placements of a document, page by page. Table headers repeat at the top of a page
 * that continues a table; a contract line's heading never ends a page on its own.
 */
export function* layoutInvoice(
  document: InvoiceDocument,
  measure: Measure,
): Generator<Placement, number> {
  let page = 1;
  let y = MARGIN;
  yield { type: 'page', page };

  /** Moves to a new page when `height` does not fit; answers where the next thing goes. */
  function* room(
    height: number,
    continuing?: () => Generator<Placement>,
  ): Generator<Placement, number> {
    if (y + height > CONTENT_BOTTOM && y > CONTINUED_TOP) {
      page += 1;
      y = CONTINUED_TOP;
      yield { type: 'page', page };
      if (continuing) yield* continuing();
    }
    const at = y;
    y += height;
    return at;
  }

  const header = headerHeight(document, measure);
  yield { type: 'header', y: yield* room(header), height: header };

  for (const line of document.lines) {
    const first = line.details[0];
    const opening =
      LINE_HEADING_HEIGHT + TABLE_HEADER_HEIGHT + (first ? detailHeight(first, measure) : 0);
    y = yield* room(opening);
    yield { type: 'lineHeading', y, line };
    y += LINE_HEADING_HEIGHT;
    yield { type: 'detailHeader', y, continued: null };
    y += TABLE_HEADER_HEIGHT;
    const continuedHeader = function* (): Generator<Placement> {
      yield { type: 'detailHeader', y, continued: line };
      y += TABLE_HEADER_HEIGHT;
    };
    for (const detail of line.details) {
      const height = detailHeight(detail, measure);
      yield { type: 'detail', y: yield* room(height, continuedHeader), detail, height };
    }
    y += GAP / 2;
  }

  if (document.taxBreakdown.length > 0) {
    const first = document.taxBreakdown[0]!;
    y = yield* room(SECTION_HEADING_HEIGHT + TABLE_HEADER_HEIGHT + taxRowHeight(first, measure));
    yield { type: 'sectionHeading', y, title: 'Tax breakdown' };
    y += SECTION_HEADING_HEIGHT;
    yield { type: 'taxHeader', y };
    y += TABLE_HEADER_HEIGHT;
    const continuedHeader = function* (): Generator<Placement> {
      yield { type: 'taxHeader', y };
      y += TABLE_HEADER_HEIGHT;
    };
    for (const row of document.taxBreakdown) {
      const height = taxRowHeight(row, measure);
      yield { type: 'taxRow', y: yield* room(height, continuedHeader), row, height };
    }
  }

  const totals = totalRows(document);
  // The totals stay together: an amount due is never split from its subtotal.
  y = yield* room(GAP + totals.length * TOTAL_ROW_HEIGHT);
  y += GAP;
  for (const row of totals) {
    yield { type: 'totalRow', y, row };
    y += TOTAL_ROW_HEIGHT;
  }

  const blocks: [string, string[]][] = [];
  if (document.note) blocks.push(['Note', [document.note]]);
  blocks.push(['Payment', paymentLines(document)]);
  for (const [title, lines] of blocks) {
    const heights = lines.map((text) => measure(text, 'regular', SIZE.party, CONTENT_WIDTH));
    const first = heights[0] ?? 0;
    y = yield* room(SECTION_HEADING_HEIGHT + first);
    yield { type: 'sectionHeading', y, title };
    y += SECTION_HEADING_HEIGHT;
    for (const [i, text] of lines.entries()) {
      const height = heights[i]!;
      yield { type: 'text', y: yield* room(height), text, height };
    }
  }
  return page;
}

/** The number of pages, from a layout pass that keeps nothing. */
export function countPages(document: InvoiceDocument, measure: Measure): number {
  const layout = layoutInvoice(document, measure);
  for (;;) {
    const next = layout.next();
    if (next.done) return next.value;
  }
}
