/**
 * Exact decimal strings in the browser (R1, R2): amounts arrive as strings and are shown
 * with the locale's separators without ever becoming a float. Sums (of a selection, of an
 * ageing bucket) are done in bigint units at the larger scale of the operands.
 */

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

export interface Scaled {
  units: bigint;
  scale: number;
}

export function parseScaled(text: string): Scaled {
  const m = DECIMAL.exec(text.trim());
  if (!m) throw new Error(`not a decimal: ${text}`);
  const frac = m[3] ?? '';
  const units = BigInt(`${m[2]}${frac}`);
  return { units: m[1] ? -units : units, scale: frac.length };
}

function rescale(value: Scaled, scale: number): bigint {
  return value.units * 10n ** BigInt(scale - value.scale);
}

export function toText({ units, scale }: Scaled): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale);
  return `${negative ? '-' : ''}${int}${scale > 0 ? `.${frac}` : ''}`;
}

/** Exact sum of decimal strings, at the largest scale among them. */
export function sumDecimals(values: readonly string[]): string {
  const parsed = values.map(parseScaled);
  const scale = Math.max(0, ...parsed.map((p) => p.scale));
  return toText({ units: parsed.reduce((acc, p) => acc + rescale(p, scale), 0n), scale });
}

export function compareDecimals(a: string, b: string): number {
  const x = parseScaled(a);
  const y = parseScaled(b);
  const scale = Math.max(x.scale, y.scale);
  const d = rescale(x, scale) - rescale(y, scale);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

type StringFormat = (value: string) => string;

/**
 * Formatters by locale, currency and scale. Making an Intl.NumberFormat costs about 100
 * times what formatting with one does, and a grid formats a few amounts per row on every
 * scroll frame.
 */
const formats = new Map<string, StringFormat>();

function numberFormat(locale: string | undefined, currency: string | undefined, scale: number) {
  const key = `${locale ?? ''}|${currency ?? ''}|${scale}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, {
      ...(currency ? { style: 'currency', currency, currencyDisplay: 'code' } : {}),
      minimumFractionDigits: scale,
      maximumFractionDigits: Math.max(scale, 0),
    }).format as unknown as StringFormat;
    formats.set(key, format);
  }
  return format;
}

/**
 * Formats a decimal string for the locale, keeping every digit it has. Intl.NumberFormat
 * takes a decimal string as an exact value (ECMA-402 "Intl.NumberFormat v3"), so no float is
 * involved; the fraction digits are those of the string (never rounded away).
 */
export function formatDecimal(text: string, locale?: string, currency?: string): string {
  const { scale } = parseScaled(text);
  return numberFormat(locale, currency, scale)(text.trim());
}

/** A decimal string as a chart coordinate: only for drawing bar heights, never for money math. */
export function chartValue(text: string): number {
  return Number(text);
}

/** A currency's minor-unit digits, as the browser's Intl knows them (JPY 0, KWD 3). */
export function currencyDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat(undefined, { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    );
  } catch {
    return 2;
  }
}

/** An input placeholder showing the currency's decimals: "0.00", "0", "0.000". */
export function amountPlaceholder(currency: string): string {
  const digits = currencyDigits(currency);
  return digits > 0 ? `0.${'0'.repeat(digits)}` : '0';
}
