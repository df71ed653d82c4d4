/**
 * R78: the invoice document as a PDF, written to a stream with PDFKit and the DejaVu Sans
 * font (embedded and subset; it covers Latin-1 and `€`). Pages are flushed as they are
 * written: the page count comes first from a layout pass (./invoice-layout.ts) so that each
 * page carries its `Page n of m` when it is drawn, without buffering pages.
 *
 * A confirmed invoice's PDF is the same bytes on every request: its creation date is the
 * confirmation time and its trailer /ID (which PDFKit derives from the info dictionary) is
 * derived from a digest of the frozen document, so nothing depends on the clock (R76, R78).
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import * as fontkit from 'fontkit';
import type { Font } from 'fontkit';
import PDFDocument from 'pdfkit';
import type { DocumentDetail, InvoiceDocument } from '../domain/invoice-document.js';
import type { TaxBreakdownLine } from '../domain/tax-totals.js';
import {
  categoryName,
  detailDescription,
  documentSubtitle,
  documentTitle,
  formatAmount,
  formatMoney,
  formatPrice,
  formatQuantity,
  formatRate,
  partyLines,
  paymentTerms,
} from './document-text.js';
import {
  CONTENT_BOTTOM,
  CONTENT_WIDTH,
  DETAIL_COLUMNS,
  MARGIN,
  PAGE,
  ROW_PADDING,
  SIZE,
  TABLE_HEADER_HEIGHT,
  TAX_COLUMNS,
  TOTAL_ROW_HEIGHT,
  countPages,
  layoutInvoice,
  metaRows,
  type FontName,
  type Measure,
  type Placement,
  type TotalRow,
} from './invoice-layout.js';

type Pdf = InstanceType<typeof PDFDocument>;

const require = createRequire(import.meta.url);
let fonts: Record<FontName, Font> | null = null;

/**
 * The embedded fonts, read from the npm package (no system font is used) and parsed once:
 * parsing a TrueType file costs more than laying out a short invoice. Each document still
 * embeds its own subset, so sharing the parsed font changes no byte of any document.
 */
function embeddedFonts(): Record<FontName, Font> {
  const open = (file: string) => {
    const font = fontkit.create(readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`)));
    if (!('layout' in font)) throw new Error(`${file} is a font collection`);
    return font;
  };
  fonts ??= { regular: open('DejaVuSans.ttf'), bold: open('DejaVuSans-Bold.ttf') };
  return fonts;
}

const INK = '#1a1a1a';
const MUTED = '#5f6368';
const WARNING = '#b00020';
const RULE = '#c9ccd1';
const SHADE = '#eef0f3';

/** A digest of everything the document prints: equal documents, equal digests. */
export function documentDigest(document: InvoiceDocument): string {
  const canonical = JSON.stringify(document, (_key, value: unknown) =>
    typeof value === 'bigint' ? value.toString() : value,
  );
  return createHash('sha256').update(canonical).digest('hex');
}

export interface RenderOptions {
  /** The creation date of a draft's pro forma (a confirmed invoice uses its confirmation time). */
  now?: Date;
}

/**
 * Writes `document` as a PDF to `out` and resolves once `out` has received all of it (and is
 * ended). Waits for `out` to drain between pages, so a slow reader holds back the writer.
 */
export async function writeInvoicePdf(
  document: InvoiceDocument,
  out: Writable,
  options: RenderOptions = {},
): Promise<void> {
  const title = documentTitle(document);
  const pdf = new PDFDocument({
    size: [PAGE.width, PAGE.height],
    margin: 0,
    autoFirstPage: false,
    bufferPages: false,
    lang: 'en',
    displayTitle: true,
    info: {
      Title: document.number ? `${title} ${document.number}` : title,
      Author: document.seller.legalName,
      Subject: `${title} for ${document.buyer.legalName}`,
      Keywords: `sha256:${documentDigest(document)}`,
      Creator: 'billing-backlog',
      Producer: 'billing-backlog with PDFKit',
      CreationDate: document.confirmedAt
        ? new Date(document.confirmedAt)
        : (options.now ?? new Date()),
    },
  });
  const files = embeddedFonts();
  // PDFKit takes a parsed fontkit font as it takes a file (its typings list only the latter).
  pdf.registerFont('regular', files.regular as never);
  pdf.registerFont('bold', files.bold as never);

  const measure: Measure = (text, font, size, width) => {
    pdf.font(font).fontSize(size);
    // Lines that fit need no wrapping pass: the common case of a 10,000-line invoice.
    const lineHeight = pdf.currentLineHeight(true);
    let height = 0;
    for (const line of text.split('\n')) {
      height += pdf.widthOfString(line) <= width ? lineHeight : pdf.heightOfString(line, { width });
    }
    return height;
  };
  const pages = countPages(document, measure);

  const done = finished(out);
  pdf.pipe(out);
  const draw = new Drawing(pdf, document, measure, pages);
  for (const placement of layoutInvoice(document, measure)) {
    if (placement.type === 'page' && placement.page > 1 && out.writableNeedDrain) {
      await once(out, 'drain');
    }
    draw.place(placement);
  }
  pdf.end();
  await done;
}

class Drawing {
  private readonly exponent: number;

  constructor(
    private readonly pdf: Pdf,
    private readonly document: InvoiceDocument,
    private readonly measure: Measure,
    private readonly pages: number,
  ) {
    this.exponent = document.currencyExponent;
  }

  place(p: Placement): void {
    switch (p.type) {
      case 'page':
        return this.page(p.page);
      case 'header':
        return this.header(p.y);
      case 'lineHeading':
        return this.lineHeading(p.y, p.line.name, p.line.amount);
      case 'detailHeader':
        return this.tableHeader(
          p.y,
          DETAIL_COLUMNS,
          p.continued ? `${p.continued.name} (continued)` : null,
        );
      case 'detail':
        return this.detail(p.y, p.detail, p.height);
      case 'sectionHeading':
        return this.sectionHeading(p.y, p.title);
      case 'taxHeader':
        return this.tableHeader(p.y, TAX_COLUMNS, null);
      case 'taxRow':
        return this.taxRow(p.y, p.row, p.height);
      case 'totalRow':
        return this.totalRow(p.y, p.row);
      case 'text':
        this.write(p.text, MARGIN, p.y, { size: SIZE.party, width: CONTENT_WIDTH, wrap: true });
        return;
    }
  }

  private write(
    text: string,
    x: number,
    y: number,
    o: {
      size: number;
      width: number;
      font?: FontName;
      color?: string;
      align?: 'left' | 'right' | 'center';
      wrap?: boolean;
    },
  ): void {
    const pdf = this.pdf
      .font(o.font ?? 'regular')
      .fontSize(o.size)
      .fillColor(o.color ?? INK);
    const lineHeight = pdf.currentLineHeight(true);
    let at = y;
    for (const line of text.split('\n')) {
      const width = pdf.widthOfString(line);
      if (width <= o.width) {
        // A line that fits is placed directly: PDFKit's line wrapper is the slow path of a
        // 10,000-line invoice.
        const offset =
          o.align === 'right' ? o.width - width : o.align === 'center' ? (o.width - width) / 2 : 0;
        pdf.text(line, x + offset, at, { lineBreak: false });
        at += lineHeight;
      } else if (o.wrap) {
        pdf.text(line, x, at, { width: o.width, align: o.align ?? 'left' });
        at += pdf.heightOfString(line, { width: o.width });
      } else if (o.align === 'right') {
        // Figures are right-aligned and never cut short: a too-wide amount is set smaller.
        pdf.fontSize((o.size * o.width) / width);
        pdf.text(line, x, at, { lineBreak: false });
        pdf.fontSize(o.size);
        at += lineHeight;
      } else {
        pdf.text(line, x, at, { width: o.width, height: lineHeight, ellipsis: true });
        at += lineHeight;
      }
    }
  }

  private page(n: number): void {
    const pdf = this.pdf;
    pdf.addPage({ size: [PAGE.width, PAGE.height], margin: 0 });
    const doc = this.document;
    if (n > 1) {
      const running = [documentTitle(doc), doc.number ?? '', '·', doc.buyer.legalName].join(' ');
      this.write(running, MARGIN, MARGIN, { size: SIZE.table, width: CONTENT_WIDTH, color: MUTED });
    }
    const footerY = CONTENT_BOTTOM + 10;
    pdf
      .moveTo(MARGIN, footerY - 4)
      .lineTo(MARGIN + CONTENT_WIDTH, footerY - 4)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    const footer = [
      doc.kind === 'ProForma' ? 'Pro forma: not a valid invoice.' : '',
      doc.seller.invoiceFooter ?? '',
    ]
      .filter(Boolean)
      .join(' ');
    if (footer) {
      this.pdf
        .font('regular')
        .fontSize(7)
        .fillColor(doc.kind === 'ProForma' ? WARNING : MUTED)
        .text(footer, MARGIN, footerY, {
          width: CONTENT_WIDTH - 90,
          height: 20,
          ellipsis: true,
        });
    }
    this.write(`Page ${n} of ${this.pages}`, MARGIN + CONTENT_WIDTH - 85, footerY, {
      size: 7.5,
      width: 85,
      align: 'right',
      color: MUTED,
    });
  }

  private header(top: number): void {
    const doc = this.document;
    const half = CONTENT_WIDTH / 2 - 12;
    const right = MARGIN + CONTENT_WIDTH - half;
    const line = (text: string, font: FontName, size: number) =>
      this.measure(text, font, size, half);

    let y = top;
    this.write(doc.seller.legalName, MARGIN, y, {
      size: SIZE.heading,
      width: half,
      font: 'bold',
      wrap: true,
    });
    y += line(doc.seller.legalName, 'bold', SIZE.heading);
    for (const text of partyLines(doc.seller)) {
      this.write(text, MARGIN, y, { size: SIZE.party, width: half, wrap: true, color: MUTED });
      y += line(text, 'regular', SIZE.party);
    }
    const sellerBottom = y;

    const title = documentTitle(doc);
    y = top;
    this.write(title, right, y, { size: SIZE.title, width: half, font: 'bold', align: 'right' });
    y += line('Invoice', 'bold', SIZE.title);
    const subtitle = documentSubtitle(doc);
    if (subtitle) {
      this.write(subtitle, right, y, {
        size: SIZE.party,
        width: half,
        align: 'right',
        wrap: true,
        color: doc.kind === 'ProForma' ? WARNING : INK,
        font: doc.kind === 'ProForma' ? 'bold' : 'regular',
      });
      y += line(subtitle, 'regular', SIZE.party);
    }

    const second = Math.max(sellerBottom, y) + 20;
    y = second;
    this.write('Bill to', MARGIN, y, { size: SIZE.party, width: half, font: 'bold', color: MUTED });
    y += line('Bill to', 'bold', SIZE.party);
    this.write(doc.buyer.legalName, MARGIN, y, {
      size: SIZE.heading,
      width: half,
      font: 'bold',
      wrap: true,
    });
    y += line(doc.buyer.legalName, 'bold', SIZE.heading);
    for (const text of partyLines(doc.buyer)) {
      this.write(text, MARGIN, y, { size: SIZE.party, width: half, wrap: true });
      y += line(text, 'regular', SIZE.party);
    }

    y = second;
    const rowHeight = line('X', 'regular', SIZE.party);
    for (const [label, value] of metaRows(doc)) {
      const shown =
        label === 'Due date' ? `${value} (${paymentTerms(doc.paymentTermsDays)})` : value;
      this.write(label, right, y, { size: SIZE.party, width: 85, color: MUTED });
      this.write(shown, right + 88, y, { size: SIZE.party, width: half - 88, font: 'bold' });
      y += rowHeight;
    }
  }

  private lineHeading(y: number, name: string, amount: bigint): void {
    const doc = this.document;
    this.write(name, MARGIN, y + 6, {
      size: SIZE.heading,
      width: CONTENT_WIDTH - 130,
      font: 'bold',
    });
    this.write(
      formatMoney(amount, doc.currency, this.exponent),
      MARGIN + CONTENT_WIDTH - 130,
      y + 6,
      {
        size: SIZE.heading,
        width: 130,
        font: 'bold',
        align: 'right',
      },
    );
  }

  private tableHeader(
    y: number,
    columns: readonly { title: string; x: number; width: number; align: string }[],
    caption: string | null,
  ): void {
    this.pdf
      .rect(MARGIN, y, CONTENT_WIDTH, TABLE_HEADER_HEIGHT - 2)
      .fillColor(SHADE)
      .fill();
    for (const column of columns) {
      const title =
        column.title === 'Amount' ? `${column.title} (${this.document.currency})` : column.title;
      this.write(title, MARGIN + column.x, y + 3, {
        size: SIZE.table,
        width: column.width,
        font: 'bold',
        align: column.align === 'right' ? 'right' : 'left',
      });
    }
    if (caption) {
      // A continued table names its contract line in the running header's place.
      this.write(caption, MARGIN, y - 11, { size: SIZE.table, width: CONTENT_WIDTH, color: MUTED });
    }
  }

  private detail(y: number, detail: DocumentDetail, height: number): void {
    const cells: Record<(typeof DETAIL_COLUMNS)[number]['key'], string> = {
      date: detail.date,
      description: detailDescription(detail),
      quantity: formatQuantity(detail.quantity),
      unitPrice: formatPrice(detail.unitPrice, this.exponent),
      amount: formatAmount(detail.amount, this.exponent),
      tax: detail.tax ? `${formatRate(detail.tax.rate)} ${detail.tax.category}` : 'no tax',
    };
    const charged = detail.billingType === 'Chargeable';
    for (const column of DETAIL_COLUMNS) {
      this.write(cells[column.key], MARGIN + column.x, y + ROW_PADDING, {
        size: SIZE.table,
        width: column.width,
        align: column.align,
        wrap: column.key === 'description',
        color: charged || column.key === 'description' ? INK : MUTED,
      });
    }
    this.rule(y + height);
  }

  private rule(y: number): void {
    this.pdf
      .moveTo(MARGIN, y)
      .lineTo(MARGIN + CONTENT_WIDTH, y)
      .lineWidth(0.25)
      .strokeColor(RULE)
      .stroke();
  }

  private sectionHeading(y: number, title: string): void {
    this.write(title, MARGIN, y + 8, { size: SIZE.heading, width: CONTENT_WIDTH, font: 'bold' });
  }

  private taxRow(y: number, row: TaxBreakdownLine, height: number): void {
    const cells: Record<(typeof TAX_COLUMNS)[number]['key'], string> = {
      category: categoryName(row.category),
      rate: formatRate(row.rate),
      taxable: formatAmount(row.taxableAmount, this.exponent),
      tax: formatAmount(row.taxAmount, this.exponent),
      reason: row.exemptionReason ?? '',
    };
    for (const column of TAX_COLUMNS) {
      this.write(cells[column.key], MARGIN + column.x, y + ROW_PADDING, {
        size: SIZE.table,
        width: column.width,
        align: column.align,
        wrap: column.key === 'reason',
      });
    }
    this.rule(y + height);
  }

  private totalRow(y: number, row: TotalRow): void {
    const doc = this.document;
    const money = (units: bigint) => formatMoney(units, doc.currency, this.exponent);
    const [label, value] =
      row.kind === 'subtotal'
        ? ['Subtotal', money(row.amount)]
        : row.kind === 'retainer'
          ? [`Retainer applied: ${row.retainer.description}`, money(-row.retainer.amount)]
          : row.kind === 'net'
            ? ['Total before tax', money(row.amount)]
            : row.kind === 'tax'
              ? ['Tax', money(row.amount)]
              : ['Total due', money(row.amount)];
    const due = row.kind === 'due';
    const x = MARGIN + 190;
    if (due)
      this.pdf
        .rect(x - 6, y - 2, CONTENT_WIDTH - 184, TOTAL_ROW_HEIGHT)
        .fillColor(SHADE)
        .fill();
    const size = due ? SIZE.total + 1 : SIZE.total;
    const font: FontName = due ? 'bold' : 'regular';
    this.write(label, x, y + 1, { size, width: 195, font });
    this.write(value, x + 195, y + 1, {
      size,
      width: CONTENT_WIDTH - 190 - 195,
      font,
      align: 'right',
    });
  }
}
