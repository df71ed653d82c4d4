/**
 * The latest invoice-run jobs (R95, newest first), so a run queued by anyone, or by you
 * before you left the page, can be followed or looked at again.
 */
import { useEffect, useState } from 'react';
import { get, type Page } from '../lib/api';
import { formatDate } from '../lib/dates';
import { Badge } from './Badge';
import { FormProblem, ProblemSummary } from './FormErrors';
import { isFinished, type InvoiceRunJobView } from './InvoiceRunJob';

const SHOWN = 10;

export function RecentInvoiceRuns({
  refresh,
  shownJobId,
  onShow,
}: {
  /** Changed by the page when a job was queued or has finished: the list is read again. */
  refresh: number;
  shownJobId: string | null;
  onShow: (jobId: string) => void;
}) {
  const [jobs, setJobs] = useState<InvoiceRunJobView[] | null>(null);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  useEffect(() => {
    get<Page<InvoiceRunJobView>>('/invoice-runs/jobs', { limit: SHOWN })
      .then((page) => {
        setJobs(page.items);
        // Opening the page while a run is in progress shows that run.
        const open = page.items.find((j) => !isFinished(j));
        if (open && shownJobId === null) onShow(open.id);
      })
      .catch((e) => setProblem(FormProblem.from(e)));
  }, [refresh]);

  if (jobs !== null && jobs.length === 0) return null;
  return (
    <section aria-label="Recent runs">
      <h2>Recent runs</h2>
      <ProblemSummary problem={problem} fields={[]} />
      <div className="table-wrap">
        <table className="grid">
          <thead>
            <tr>
              <th>Job</th>
              <th>Run date</th>
              <th>Status</th>
              <th className="right">Contracts</th>
              <th className="right">Invoices</th>
              <th className="right">Failed</th>
              <th>Queued</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(jobs ?? []).map((j) => (
              <tr key={j.id} aria-current={j.id === shownJobId ? 'true' : undefined}>
                <td>{j.id}</td>
                <td>{formatDate(j.runDate)}</td>
                <td>
                  <Badge value={j.status} />
                </td>
                <td className="right num">
                  {j.progress.contractsDone} of {j.progress.contractsTotal}
                </td>
                <td className="right num">{j.invoiceIds.length}</td>
                <td className="right num">{j.errors.length}</td>
                <td>{new Date(j.createdAt).toLocaleString()}</td>
                <td>
                  <button
                    type="button"
                    className="secondary"
                    aria-label={`Show job ${j.id}`}
                    disabled={j.id === shownJobId}
                    onClick={() => onShow(j.id)}
                  >
                    Show
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
