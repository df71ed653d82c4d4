import { humanize } from '../lib/model';

/** A status as a coloured badge; the colour follows the value, the text says it. */
export function Badge({ value, title }: { value: string | null | undefined; title?: string }) {
  if (!value) return null;
  return (
    <span className={`badge badge-${value}`} data-status={value} title={title}>
      {humanize(value)}
    </span>
  );
}
