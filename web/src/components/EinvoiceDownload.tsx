/**
 * R80, R81: "Download e-invoice (UBL)" and "(CII)" on a confirmed invoice. The file comes
 * through the API with the caller's token (a plain link could not send it); when the server
 * answers 422 EINVOICE_INCOMPLETE the missing fields are listed, each with a link to the
 * profile that holds it.
 */
import { useState } from 'react';
import { getToken, type FieldError } from '../lib/api';
import { Link } from './Link';

type Syntax = 'ubl' | 'cii';

/** Where a missing field is filled in: the seller profile, the customer or the invoice. */
function fixAt(field: string, customerId: string, contractId: string): string | null {
  if (field.startsWith('seller.')) return '/settings';
  if (field.startsWith('buyer.')) return `/customers/${customerId}`;
  if (field === 'buyerReference' || field === 'purchaseOrder') return `/contracts/${contractId}`;
  return null;
}

export function EinvoiceDownload({
  invoice,
}: {
  invoice: { id: string; number: string | null; customerId: string; contractId: string };
}) {
  const [missing, setMissing] = useState<FieldError[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const download = async (syntax: Syntax) => {
    setMissing(null);
    setFailure(null);
    const token = getToken();
    const res = await fetch(`/api/v1/invoices/${invoice.id}/einvoice?syntax=${syntax}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    if (res.ok) {
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = `${invoice.number ?? invoice.id}-${syntax}.xml`;
      a.click();
      URL.revokeObjectURL(url);
      return;
    }
    const p = (await res.json().catch(() => ({}))) as {
      code?: string;
      detail?: string;
      errors?: FieldError[];
    };
    if (res.status === 422 && p.code === 'EINVOICE_INCOMPLETE') setMissing(p.errors ?? []);
    else setFailure(p.detail ?? res.statusText);
  };

  return (
    <div className="einvoice" aria-label="E-invoice">
      <div className="row">
        <button type="button" className="secondary" onClick={() => void download('ubl')}>
          Download e-invoice (UBL)
        </button>
        <button type="button" className="secondary" onClick={() => void download('cii')}>
          Download e-invoice (CII)
        </button>
      </div>
      {failure && (
        <div className="problem" role="alert">
          <p>{failure}</p>
        </div>
      )}
      {missing && (
        <div className="problem" role="alert" data-testid="einvoice-missing">
          <p>The e-invoice cannot be made until these fields are filled in:</p>
          <ul>
            {missing.map((e, i) => {
              const href = fixAt(e.field, invoice.customerId, invoice.contractId);
              return (
                <li key={i}>
                  <code>{e.field}</code>: {e.message}
                  {href && (
                    <>
                      {' '}
                      (<Link href={href}>edit</Link>)
                    </>
                  )}
                </li>
              );
            })}
          </ul>
        </div>
      )}
    </div>
  );
}
