/**
 * One invoice. A draft can be edited (a T&M detail's quantity and billing type, R62, any
 * detail's tax code, R73, with a write-down reason, R91; its terms and references, R75; remove
 * a detail or delete the draft, R32), previewed as a pro forma (R78) and confirmed (R63). A
 * confirmed invoice downloads as a PDF (R78) and can be corrected: pick details and the
 * quantity that should have been billed (R65). On a draft the applied retainers' amounts can
 * be changed (R52, see AppliedRetainers).
 */
import { useCallback, useEffect, useState } from 'react';
import { AppliedRetainers } from '../components/AppliedRetainers';
import { EinvoiceDownload } from '../components/EinvoiceDownload';
import { Badge } from '../components/Badge';
import { ConfirmAction, InvoiceImpact } from '../components/ConfirmDialog';
import { FormProblem, ProblemSummary } from '../components/FormErrors';
import { DetailRow, DraftDetailRow } from '../components/InvoiceDetailRows';
import { InvoiceDocumentActions } from '../components/InvoiceDocumentActions';
import { InvoiceParticulars } from '../components/InvoiceParticulars';
import { Link } from '../components/Link';
import { Money } from '../components/Money';
import { TaxBreakdownTable } from '../components/TaxBreakdownTable';
import { del, get, post } from '../lib/api';
import { formatDate } from '../lib/dates';
import type { TaxedInvoice } from '../lib/invoicing';
import type { Invoice } from '../lib/model';
import { navigate } from '../lib/router';
import { useTaxCodes } from './SettingsPage';

export function InvoiceDetailPage({ id }: { id: string }) {
  const { taxCodes } = useTaxCodes();
  const [invoice, setInvoice] = useState<TaxedInvoice | null>(null);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [credits, setCredits] = useState<Record<string, string>>({});
  const load = useCallback(async () => {
    try {
      setInvoice(await get<TaxedInvoice>(`/invoices/${id}`));
    } catch (e) {
      setProblem(FormProblem.from(e));
    }
  }, [id]);
  useEffect(() => {
    setCredits({});
    void load();
  }, [load]);

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
          <dd>{invoice.customerName ?? `#${invoice.customerId}`}</dd>
        </div>
        <div>
          <dt>Contract</dt>
          <dd>
            <Link href={`/contracts/${invoice.contractId}`}>
              {invoice.contractName ?? `#${invoice.contractId}`}
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
      <InvoiceParticulars
        key={`${invoice.status}-${invoice.invoiceDate}-${invoice.note ?? ''}`}
        invoice={invoice}
        onChange={setInvoice}
      />
      <ProblemSummary problem={problem} fields={[]} />
      {invoice.lines.map((line) => (
        <section
          key={line.contractLineId ?? 'retainers'}
          className="card"
          aria-label={`Invoice line ${line.contractLineId ?? 'retainers'}`}
        >
          <h3>
            {line.contractLineId
              ? (line.contractLineName ?? `#${line.contractLineId}`)
              : 'Retainers and advances'}{' '}
            · <Money value={line.amount} currency={invoice.currency} />
          </h3>
          <div className="table-wrap">
            <table className="grid">
              <thead>
                <tr>
                  <th>Source</th>
                  <th>Class</th>
                  <th>Date</th>
                  <th>Description</th>
                  <th className="right">Qty</th>
                  <th className="right">Unit price</th>
                  <th className="right">Amount</th>
                  <th>Billing type</th>
                  <th>Tax</th>
                  {(draft || !invoice.correctsInvoiceId) && <th />}
                </tr>
              </thead>
              <tbody>
                {line.details.map((d) =>
                  draft ? (
                    <DraftDetailRow
                      key={`${d.id}-${d.quantity}-${d.billingType}-${d.taxCode ?? ''}-${taxCodes.length}`}
                      invoice={invoice}
                      detail={d}
                      taxCodes={taxCodes}
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
      <AppliedRetainers invoice={invoice as Invoice} onChange={setInvoice} />
      <TaxBreakdownTable invoice={invoice} />
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
          <dt>{invoice.totalWithTax !== undefined ? 'Total before tax' : 'Total'}</dt>
          <dd data-testid="invoice-total">
            <Money value={invoice.total} currency={invoice.currency} />
          </dd>
        </div>
        {invoice.totalWithTax !== undefined && (
          <>
            <div>
              <dt>Tax</dt>
              <dd data-testid="invoice-tax-total">
                <Money value={invoice.taxTotal ?? '0'} currency={invoice.currency} />
              </dd>
            </div>
            <div>
              <dt>Total due</dt>
              <dd data-testid="invoice-total-due">
                <strong>
                  <Money value={invoice.totalWithTax} currency={invoice.currency} />
                </strong>
              </dd>
            </div>
          </>
        )}
      </dl>
      <div className="row">
        <InvoiceDocumentActions invoice={invoice} />
        {draft && (
          <>
            <ConfirmAction
              need="admin"
              label="Confirm invoice"
              title="Confirm this invoice?"
              confirmLabel="Yes, confirm and number it"
              onConfirm={async () =>
                setInvoice(await post<TaxedInvoice>(`/invoices/${invoice.id}/confirm`))
              }
            >
              <InvoiceImpact invoices={[invoice]} />
            </ConfirmAction>
            <ConfirmAction
              need="bill"
              secondary
              danger
              label="Delete draft"
              title="Delete this draft?"
              confirmLabel="Yes, delete the draft"
              onConfirm={async () => {
                await del(`/invoices/${invoice.id}`);
                navigate('/invoices');
              }}
            >
              <p>
                The draft is removed and its items go back to the backlog as ready to invoice. No
                invoice number is used.
              </p>
            </ConfirmAction>
          </>
        )}
        {!draft && !invoice.correctsInvoiceId && (
          <ConfirmAction
            need="admin"
            secondary
            label={
              creditCount === 0
                ? 'Credit the whole invoice'
                : `Correct ${creditCount} detail${creditCount === 1 ? '' : 's'}`
            }
            title={creditCount === 0 ? 'Credit the whole invoice?' : 'Correct these details?'}
            confirmLabel="Yes, create the corrective draft"
            onConfirm={async () => {
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
            }}
          >
            <p>
              A corrective draft invoice is created that credits{' '}
              {creditCount === 0 ? 'every detail of this invoice' : `${creditCount} detail(s)`}. It
              gets its own number only when it is confirmed; this invoice stays as it is.
            </p>
          </ConfirmAction>
        )}
      </div>
      {!draft && <EinvoiceDownload invoice={invoice} />}
    </div>
  );
}
