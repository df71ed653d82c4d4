/**
 * An invoice's detail rows. On a draft a T&M detail's quantity and billing type can change
 * (R62), any detail's tax code (R73), each edit with an optional write-down reason (R91); a
 * detail can be removed (R32). A confirmed invoice's rows can be picked for a correction (R65).
 */
import { useState } from 'react';
import { del, patch } from '../lib/api';
import { formatDate } from '../lib/dates';
import type { TaxCode, TaxedDetail, TaxedInvoice } from '../lib/invoicing';
import { humanize } from '../lib/model';
import { FieldMessage, FormProblem, ProblemSummary } from './FormErrors';
import { Money } from './Money';

const BILLING_TYPES = ['Chargeable', 'NonChargeable', 'Complimentary'];

/** What the work was (R77): description, then who did it. */
function WorkCell({ detail }: { detail: TaxedDetail }) {
  const who = [detail.resource, detail.role].filter(Boolean).join(' · ');
  return (
    <td className="description">
      {detail.description ?? ''}
      {who && <div className="muted">{who}</div>}
      {detail.reason && <div className="muted">Reason: {detail.reason}</div>}
    </td>
  );
}

export function taxLabel(detail: TaxedDetail): string {
  if (!detail.taxCode) return 'No tax';
  return `${detail.taxCode}${detail.taxRate ? ` (${detail.taxRate} %)` : ''}`;
}

export function DraftDetailRow({
  invoice,
  detail,
  taxCodes,
  onChange,
}: {
  invoice: TaxedInvoice;
  detail: TaxedDetail;
  taxCodes: TaxCode[];
  onChange: (invoice: TaxedInvoice) => void;
}) {
  const currentTaxCodeId =
    detail.taxCodeId ?? taxCodes.find((t) => t.code === detail.taxCode)?.id ?? '';
  const [quantity, setQuantity] = useState(detail.quantity ?? '');
  const [billingType, setBillingType] = useState(detail.billingType);
  const [taxCodeId, setTaxCodeId] = useState(currentTaxCodeId);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const editable = detail.sourceType === 'Actual';
  const dirty =
    quantity !== (detail.quantity ?? '') ||
    billingType !== detail.billingType ||
    taxCodeId !== currentTaxCodeId;
  const save = async () => {
    setProblem(null);
    try {
      onChange(
        await patch<TaxedInvoice>(`/invoices/${invoice.id}/details/${detail.id}`, {
          ...(quantity !== detail.quantity ? { quantity } : {}),
          ...(billingType !== detail.billingType ? { billingType } : {}),
          ...(taxCodeId !== currentTaxCodeId ? { taxCodeId: taxCodeId || null } : {}),
          ...(reason.trim() ? { reason: reason.trim() } : {}),
        }),
      );
    } catch (e) {
      setProblem(FormProblem.from(e));
    }
  };
  const remove = async () => {
    try {
      onChange(await del<TaxedInvoice>(`/invoices/${invoice.id}/details/${detail.id}`));
    } catch (e) {
      setProblem(FormProblem.from(e));
    }
  };
  return (
    <tr data-detail-id={detail.id}>
      <td>{humanize(detail.sourceType)}</td>
      <td>{detail.transactionClass ?? ''}</td>
      <td>{formatDate(detail.date)}</td>
      <WorkCell detail={detail} />
      <td className="right">
        {editable ? (
          <>
            <input
              aria-label={`Quantity of detail ${detail.id}`}
              inputMode="decimal"
              size={7}
              value={quantity}
              onChange={(e) => setQuantity(e.target.value)}
            />
            <FieldMessage problem={problem} field="quantity" />
          </>
        ) : (
          detail.quantity
        )}
      </td>
      <td className="right">
        <Money value={detail.unitPrice} currency={invoice.currency} />
      </td>
      <td className="right">
        <Money value={detail.amount} currency={invoice.currency} />
      </td>
      <td>
        {editable ? (
          <select
            aria-label={`Billing type of detail ${detail.id}`}
            value={billingType}
            onChange={(e) => setBillingType(e.target.value)}
          >
            {BILLING_TYPES.map((t) => (
              <option key={t} value={t}>
                {humanize(t)}
              </option>
            ))}
          </select>
        ) : (
          humanize(detail.billingType)
        )}
      </td>
      <td>
        <select
          aria-label={`Tax code of detail ${detail.id}`}
          value={taxCodeId}
          onChange={(e) => setTaxCodeId(e.target.value)}
        >
          <option value="">No tax</option>
          {taxCodes.map((t) => (
            <option key={t.id} value={t.id}>
              {t.code} ({t.rate} %)
            </option>
          ))}
        </select>
        <FieldMessage problem={problem} field="taxCodeId" />
      </td>
      <td>
        <input
          aria-label={`Reason for the change of detail ${detail.id}`}
          placeholder="Reason (optional)"
          maxLength={500}
          size={16}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <FieldMessage problem={problem} field="reason" />{' '}
        <button
          type="button"
          disabled={!dirty}
          aria-label={`Save detail ${detail.id}`}
          onClick={() => void save()}
        >
          Save
        </button>{' '}
        <button
          type="button"
          className="secondary"
          aria-label={`Remove detail ${detail.id}`}
          onClick={() => void remove()}
        >
          Remove
        </button>
        <ProblemSummary problem={problem} fields={['quantity', 'taxCodeId', 'reason']} />
      </td>
    </tr>
  );
}

export function DetailRow({
  invoice,
  detail,
  credit,
  onCredit,
}: {
  invoice: TaxedInvoice;
  detail: TaxedDetail;
  credit?: string;
  onCredit?: (value: string | undefined) => void;
}) {
  return (
    <tr data-detail-id={detail.id}>
      <td>{humanize(detail.sourceType)}</td>
      <td>{detail.transactionClass ?? ''}</td>
      <td>{formatDate(detail.date)}</td>
      <WorkCell detail={detail} />
      <td className="right num">{detail.quantity}</td>
      <td className="right">
        <Money value={detail.unitPrice} currency={invoice.currency} />
      </td>
      <td className="right">
        <Money value={detail.amount} currency={invoice.currency} />
      </td>
      <td>{humanize(detail.billingType)}</td>
      <td>{taxLabel(detail)}</td>
      {onCredit && (
        <td>
          <label className="inline">
            <input
              type="checkbox"
              aria-label={`Correct detail ${detail.id}`}
              checked={credit !== undefined}
              onChange={(e) => onCredit(e.target.checked ? '0' : undefined)}
            />
            correct to
          </label>{' '}
          {credit !== undefined && detail.sourceType === 'Actual' && (
            <input
              aria-label={`Corrected quantity of detail ${detail.id}`}
              inputMode="decimal"
              size={6}
              value={credit}
              onChange={(e) => onCredit(e.target.value)}
            />
          )}
        </td>
      )}
    </tr>
  );
}
