import { formatDecimal } from '../lib/decimal';

/** An amount string formatted for the locale with every digit it has (never a float). */
export function Money({
  value,
  currency,
}: {
  value: string | null | undefined;
  currency?: string | null;
}) {
  if (value === null || value === undefined) return <span className="muted">—</span>;
  return (
    <span className={`money${value.startsWith('-') ? ' negative' : ''}`} data-amount={value}>
      {formatDecimal(value, undefined, currency ?? undefined)}
    </span>
  );
}
