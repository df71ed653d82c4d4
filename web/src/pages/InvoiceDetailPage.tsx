/**
 * One invoice. A draft can be edited (a T&M detail's quantity and billing type, R62; remove a
 * detail or delete the draft, R32) and confirmed (R63). A confirmed invoice can be corrected:
 * pick details and the quantity that should have been billed (R65). On a draft the applied
 * retainers' amounts can be changed (R52, see AppliedRetainers).
 */
import { useCallback, useEffect, useState } from 'react';
import { AppliedRetainers } from '../components/AppliedRetainers';
import { EinvoiceDownload } from '../components/EinvoiceDownload';
import { Badge } from '../components/Badge';
import { FieldMessage, FormProblem, ProblemSummary } from '../components/FormErrors';
import { Link } from '../components/Link';
import { Money } from '../components/Money';
import { del, get, patch, post } from '../lib/api';
import { formatDate } from '../lib/dates';
import { humanize, type Invoice, type InvoiceDetail } from '../lib/model';
import { useReference } from '../lib/reference';
import { navigate } from '../lib/router';

const BILLING_TYPES = ['Chargeable', 'NonChargeable', 'Complimentary'];

function DraftDetailRow({
  invoice,
  detail,
  onChange,
}: {
  invoice: Invoice;
  detail: InvoiceDetail;
  onChange: (invoice: Invoice) => void;
}) {
  const [quantity, setQuantity] = useState(detail.quantity ?? '');
  const [billingType, setBillingType] = useState(detail.billingType);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const editable = detail.sourceType === 'Actual';
  const dirty = quantity !== (detail.quantity ?? '') || billingType !== detail.billingType;
  const save = async () => {
    setProblem(null);
    try {
      onChange(
        await patch<Invoice>(`/invoices/${invoice.id}/details/${detail.id}`, {
          ...(quantity !== detail.quantity ? { quantity } : {}),
          ...(billingType !== detail.billingType ? { billingType } : {}),
        }),
      );
    } catch (e) {
      setProblem(FormProblem.from(e));
    }
  };
  const remove = async () => {
    try {
      onChange(await del<Invoice>(`/invoices/${invoice.id}/details/${detail.id}`));
    } catch (e) {
      setProblem(FormProblem.from(e));
    }
  };
  return (
    <tr data-detail-id={detail.id}>
      <td>{humanize(detail.sourceType)}</td>
      <td>{detail.transactionClass ?? ''}</td>
      <td>{formatDate(detail.date)}</td>
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
        {editable && (
          <button type="button" disabled={!dirty} onClick={() => void save()}>
            Save
          </button>
        )}{' '}
        <button type="button" className="secondary" onClick={() => void remove()}>
          Remove
        </button>
        <ProblemSummary problem={problem} fields={['quantity']} />
      </td>
    </tr>
  );
}

function DetailRow({
  invoice,
  detail,
  credit,
  onCredit,
}: {
  invoice: Invoice;
  detail: InvoiceDetail;
  credit?: string;
  onCredit?: (value: string | undefined) => void;
}) {
  return (
    <tr data-detail-id={detail.id}>
      <td>{humanize(detail.sourceType)}</td>
      <td>{detail.transactionClass ?? ''}</td>
      <td>{formatDate(detail.date)}</td>
      <td className="right num">{detail.quantity}</td>
      <td className="right">
        <Money value={detail.unitPrice} currency={invoice.currency} />
      </td>
      <td className="right">
        <Money value={detail.amount} currency={invoice.currency} />
      </td>
      <td>{humanize(detail.billingType)}</td>
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

export function InvoiceDetailPage({ id }: { id: string }) {
  const ref = useReference();
  const [invoice, setInvoice] = useState<Invoice | null>(null);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [credits, setCredits] = useState<Record<string, string>>({});
  const load = useCallback(async () => {
    try {
      setInvoice(await get<Invoice>(`/invoices/${id}`));
    } catch (e) {
      setProblem(FormProblem.from(e));
    }
  }, [id]);
  useEffect(() => {
    setCredits({});
    void load();
  }, [load]);

  const act = async (fn: () => Promise<void>) => {
    setProblem(null);
    try {
      await fn();
    } catch (e) {
      setProblem(FormProblem.from(e));
    }
  };

  if (!invoice)
    return (
      <div className="page">
        {problem ? <ProblemSummary problem={problem} fields={[]} /> : 'Loading…'}
      </div>
    );
  const draft = invoice.status === 'Draft';
  const creditCount = Object.keys(credits).length;
  return (
    <div className="page">
      <p>
        <Link href="/invoices">← Invoices</Link>
      </p>
      <h1>
        {invoice.number ?? `Draft invoice #${invoice.id}`} <Badge value={invoice.status} />
      </h1>
      <dl className="facts">
        <div>
          <dt>Customer</dt>
          <dd>{ref.customerName(invoice.customerId)}</dd>
        </div>
        <div>
          <dt>Contract</dt>
          <dd>
            <Link href={`/contracts/${invoice.contractId}`}>
              {ref.contractName(invoice.contractId)}
            </Link>
          </dd>
        </div>
        <div>
          <dt>Invoice date</dt>
          <dd>{formatDate(invoice.invoiceDate)}</dd>
        </div>
        {invoice.correctsInvoiceId && (
          <div>
            <dt>Corrects</dt>
            <dd>
              <Link href={`/invoices/${invoice.correctsInvoiceId}`}>
                invoice #{invoice.correctsInvoiceId}
              </Link>
            </dd>
          </div>
        )}
      </dl>
      <ProblemSummary problem={problem} fields={[]} />
      {invoice.lines.map((line) => (
        <section
          key={line.contractLineId ?? 'retainers'}
          className="card"
          aria-label={`Invoice line ${line.contractLineId ?? 'retainers'}`}
        >
          <h3>
            {line.contractLineId ? ref.lineName(line.contractLineId) : 'Retainers and advances'} ·{' '}
            <Money value={line.amount} currency={invoice.currency} />
          </h3>
          <div className="table-wrap">
            <table className="grid">
              <thead>
                <tr>
                  <th>Source</th>
                  <th>Class</th>
                  <th>Date</th>
                  <th className="right">Qty</th>
                  <th className="right">Unit price</th>
                  <th className="right">Amount</th>
                  <th>Billing type</th>
                  {(draft || !invoice.correctsInvoiceId) && <th />}
                </tr>
              </thead>
              <tbody>
                {line.details.map((d) =>
                  draft ? (
                    <DraftDetailRow
                      key={`${d.id}-${d.quantity}-${d.billingType}`}
                      invoice={invoice}
                      detail={d}
                      onChange={setInvoice}
                    />
                  ) : (
                    <DetailRow
                      key={d.id}
                      invoice={invoice}
                      detail={d}
                      credit={credits[d.id]}
                      onCredit={
                        invoice.correctsInvoiceId
                          ? undefined
                          : (value) =>
                              setCredits((c) => {
                                const next = { ...c };
                                if (value === undefined) delete next[d.id];
                                else next[d.id] = value;
                                return next;
                              })
                      }
                    />
                  ),
                )}
              </tbody>
            </table>
          </div>
        </section>
      ))}
      <AppliedRetainers invoice={invoice} onChange={setInvoice} />
      <dl className="facts totals-block" data-testid="invoice-totals">
        <div>
          <dt>Subtotal</dt>
          <dd>
            <Money value={invoice.subtotal} currency={invoice.currency} />
          </dd>
        </div>
        <div>
          <dt>Retainers applied</dt>
          <dd>
            <Money value={invoice.retainerApplied} currency={invoice.currency} />
          </dd>
        </div>
        <div>
          <dt>Total</dt>
          <dd data-testid="invoice-total">
            <strong>
              <Money value={invoice.total} currency={invoice.currency} />
            </strong>
          </dd>
        </div>
      </dl>
      <div className="row">
        {draft && (
          <>
            <button
              type="button"
              onClick={() =>
                void act(async () =>
                  setInvoice(await post<Invoice>(`/invoices/${invoice.id}/confirm`)),
                )
              }
            >
              Confirm invoice
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() =>
                void act(async () => {
                  await del(`/invoices/${invoice.id}`);
                  navigate('/invoices');
                })
              }
            >
              Delete draft
            </button>
          </>
        )}
        {!draft && !invoice.correctsInvoiceId && (
          <button
            type="button"
            onClick={() =>
              void act(async () => {
                const body =
                  creditCount === 0
                    ? {}
                    : {
                        details: Object.entries(credits).map(([detailId, quantity]) => ({
                          detailId,
                          quantity: quantity || '0',
                        })),
                      };
                const correction = await post<Invoice>(`/invoices/${invoice.id}/corrections`, body);
                navigate(`/invoices/${correction.id}`);
              })
            }
          >
            {creditCount === 0
              ? 'Credit the whole invoice'
              : `Correct ${creditCount} detail${creditCount === 1 ? '' : 's'}`}
          </button>
        )}
      </div>
      {!draft && <EinvoiceDownload invoice={invoice} />}
    </div>
  );
}
