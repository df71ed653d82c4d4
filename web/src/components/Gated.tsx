/**
 * A button the signed-in role may or may not use: enabled when allowed, otherwise disabled
 * with a tooltip naming the role needed (a viewer sees no action buttons at all).
 */
import type { ButtonHTMLAttributes } from 'react';
import { useAllowance, type Permission } from '../lib/me';

export function GatedButton({
  need,
  disabled,
  title,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { need: Permission }) {
  const allowance = useAllowance(need);
  if (allowance.hidden) return null;
  return (
    <button
      type="button"
      {...props}
      disabled={disabled || !allowance.allowed}
      title={allowance.allowed ? title : allowance.reason}
      aria-description={allowance.allowed ? undefined : allowance.reason}
    />
  );
}

/** Renders its children only for a role holding `need` (whole forms, sections). */
export function IfAllowed({ need, children }: { need: Permission; children: React.ReactNode }) {
  const allowance = useAllowance(need);
  return allowance.allowed ? <>{children}</> : null;
}
