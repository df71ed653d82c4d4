/**
 * R78: the invoice document. A draft offers its pro forma in a new tab; a confirmed invoice
 * downloads as `<number>.pdf`. The PDF is fetched with the token, then handed to the browser.
 */
import { useState } from 'react';
import { fetchInvoiceDocument, saveBlob, type TaxedInvoice } from '../lib/invoicing';
import { FormProblem, ProblemSummary } from './FormErrors';

export function InvoiceDocumentActions({ invoice }: { invoice: TaxedInvoice }) {
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const draft = invoice.status === 'Draft';

  const preview = async () => {
    setProblem(null);
    // Opened before the fetch, while the click still counts as the user's: no popup blocker.
    const tab = window.open('about:blank', '_blank');
    setBusy(true);
    try {
      const url = URL.createObjectURL(await fetchInvoiceDocument(invoice.id));
      if (tab) tab.location.href = url;
      else window.location.href = url;
    } catch (e) {
      tab?.close();
      setProblem(FormProblem.from(e));
    } finally {
      setBusy(false);
    }
  };

  const download = async () => {
    setProblem(null);
    setBusy(true);
    try {
      saveBlob(await fetchInvoiceDocument(invoice.id), `${invoice.number ?? invoice.id}.pdf`);
    } catch (e) {
      setProblem(FormProblem.from(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {draft ? (
        <button type="button" className="secondary" disabled={busy} onClick={() => void preview()}>
          Preview pro forma
        </button>
      ) : (
        <button type="button" disabled={busy} onClick={() => void download()}>
          Download PDF
        </button>
      )}
      <ProblemSummary problem={problem} fields={[]} />
    </>
  );
}
