/**
 * Irreversible actions ask first: the trigger opens a dialog that says what will happen
 * (how many invoices, their total, that numbers are taken for good) and the action runs
 * only on its second, explicit button. Escape or "Cancel" closes it without doing anything.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { formatDecimal, sumDecimals } from '../lib/decimal';
import type { Permission } from '../lib/me';
import { GatedButton } from './Gated';

export function ConfirmAction({
  label,
  title,
  children,
  confirmLabel,
  onConfirm,
  need,
  danger = false,
  secondary = false,
  disabled = false,
}: {
  /** The trigger's text, e.g. "Confirm invoice". */
  label: string;
  /** The dialog's heading. */
  title: string;
  /** What will happen, in words. */
  children: ReactNode;
  /** The second click's text, e.g. "Yes, confirm 3 invoices". */
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  need: Permission;
  danger?: boolean;
  /** Not the page's primary action (e.g. a credit). */
  secondary?: boolean;
  disabled?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);
  const triggerRef = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    // Focus moves into the dialog on open and back to its trigger on close (keyboard use).
    if (open) confirmRef.current?.focus();
    else if (wasOpen.current) triggerRef.current?.querySelector('button')?.focus();
    wasOpen.current = open;
  }, [open]);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      setOpen(false);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <span ref={triggerRef} className="confirm-trigger">
        <GatedButton
          need={need}
          className={secondary ? 'secondary' : undefined}
          disabled={disabled || busy}
          aria-haspopup="dialog"
          onClick={() => setOpen(true)}
        >
          {label}
        </GatedButton>
      </span>
      {open && (
        <div
          className="dialog-backdrop"
          onKeyDown={(e) => {
            if (e.key === 'Escape') setOpen(false);
          }}
        >
          <div role="dialog" aria-modal="true" aria-label={title} className="dialog">
            <h2>{title}</h2>
            <div className="dialog-body">{children}</div>
            {error && (
              <p className="error" role="alert">
                {error}
              </p>
            )}
            <div className="row">
              <button
                ref={confirmRef}
                type="button"
                className={danger ? 'danger' : undefined}
                disabled={busy}
                onClick={() => void run()}
              >
                {confirmLabel}
              </button>
              <button type="button" className="secondary" onClick={() => setOpen(false)}>
                Cancel
              </button>
            </div>
          </div>
        </div>
      )}
    </>
  );
}

/** What confirming invoices does: how many, their total per currency, numbers for good. */
export function InvoiceImpact({ invoices }: { invoices: { total: string; currency: string }[] }) {
  const byCurrency = new Map<string, string[]>();
  for (const inv of invoices) {
    byCurrency.set(inv.currency, [...(byCurrency.get(inv.currency) ?? []), inv.total]);
  }
  return (
    <>
      <p>
        {invoices.length} invoice{invoices.length === 1 ? '' : 's'} will be confirmed, totalling{' '}
        {[...byCurrency]
          .map(([currency, totals]) => formatDecimal(sumDecimals(totals), undefined, currency))
          .join(' + ')}
        .
      </p>
      <p>
        Each takes the next invoice number for good: a confirmed invoice cannot be edited or
        deleted, only corrected by a credit.
      </p>
    </>
  );
}
