/** One formatter per locale: making one costs far more than formatting with it. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(locale: string | undefined): Intl.DateTimeFormat {
  let format = dateFormats.get(locale ?? '');
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      timeZone: 'UTC',
    });
    dateFormats.set(locale ?? '', format);
  }
  return format;
}

/** ISO `YYYY-MM-DD` dates shown for the locale, without time-zone shifts. */
export function formatDate(iso: string | null | undefined, locale?: string): string {
  if (!iso) return '';
  const [y, m, d] = iso.split('-').map(Number);
  if (!y || !m || !d) return iso;
  return dateFormat(locale).format(new Date(Date.UTC(y, m - 1, d)));
}

export function todayIso(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
