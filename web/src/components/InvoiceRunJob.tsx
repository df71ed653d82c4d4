/**
 * R95: the invoice run as a background job. The button queues `POST /invoice-runs/jobs`;
 * the job view polls one job and shows a live progress bar (contracts done of the total),
 * the invoices created and each contract that failed. The page stays usable while the job
 * runs on the server, and a job in progress is found again from the recent runs.
 */
import { useEffect, useState } from 'react';
import { get, post } from '../lib/api';
import { formatDate } from '../lib/dates';
import { Badge } from './Badge';
import { GatedButton } from './Gated';
import { Link } from './Link';

export interface InvoiceRunJobView {
  id: string;
  runDate: string;
  status: 'Queued' | 'Running' | 'Succeeded' | 'Failed';
  progress: { contractsDone: number; contractsTotal: number };
  invoiceIds: string[];
  errors: { contractId: string; contractName?: string; code: string; message: string }[];
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
}

const POLL_MS = 500;
/** Invoice links listed under a job; a month-end job creates thousands. */
const INVOICE_LINKS_SHOWN = 50;

export const isFinished = (job: InvoiceRunJobView) =>
  job.status === 'Succeeded' || job.status === 'Failed';

/** Queues a job for the run date; the page follows it by id. */
export function QueueInvoiceRunJob({
  runDate,
  disabled,
  onQueued,
}: {
  runDate: string;
  disabled?: boolean;
  onQueued: (jobId: string) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const queue = async () => {
    setError(null);
    try {
      // The 202 answer promises id, status and runDate (R95); the rest comes with polling.
      const queued = await post<Pick<InvoiceRunJobView, 'id'>>('/invoice-runs/jobs', { runDate });
      onQueued(queued.id);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <>
      <GatedButton need="bill" disabled={disabled} onClick={() => void queue()}>
        Run in background
      </GatedButton>
      {error && <p role="alert">{error}</p>}
    </>
  );
}

/** One job, polled until it has finished. */
export function InvoiceRunJob({
  jobId,
  onFinished,
}: {
  jobId: string;
  /** Called once the job has finished, with its final state (the page shows its invoices). */
  onFinished?: (job: InvoiceRunJobView) => void | Promise<void>;
}) {
  const [job, setJob] = useState<InvoiceRunJobView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let gone = false;
    setJob(null);
    setError(null);
    const read = async () => {
      try {
        const next = await get<InvoiceRunJobView>(`/invoice-runs/jobs/${jobId}`);
        if (gone) return;
        setJob(next);
        if (isFinished(next)) await onFinished?.(next);
        else timer = setTimeout(() => void read(), POLL_MS);
      } catch (e) {
        if (!gone) setError(e instanceof Error ? e.message : String(e));
      }
    };
    void read();
    return () => {
      gone = true;
      clearTimeout(timer);
    };
  }, [jobId]);

  if (error) return <p role="alert">{error}</p>;
  if (!job) return <p className="muted">Job {jobId}: loading…</p>;
  const { contractsDone, contractsTotal } = job.progress;
  const more = job.invoiceIds.length - INVOICE_LINKS_SHOWN;
  return (
    <div className="invoice-run-job" aria-live="polite">
      <div role="status">
        <p>
          Job {job.id} for {formatDate(job.runDate)}: <Badge value={job.status} />
        </p>
        <label>
          {job.status === 'Queued'
            ? 'Waiting for a worker…'
            : `${contractsDone} of ${contractsTotal} contracts`}
          <progress
            max={Math.max(contractsTotal, 1)}
            value={job.status === 'Queued' ? undefined : contractsTotal ? contractsDone : 1}
          />
        </label>
        {isFinished(job) && (
          <p>
            {job.invoiceIds.length} draft invoice{job.invoiceIds.length === 1 ? '' : 's'} created
            {job.errors.length > 0 && `, ${job.errors.length} contract(s) failed`}.
          </p>
        )}
        {job.invoiceIds.length > 0 && (
          <ul className="job-invoices">
            {job.invoiceIds.slice(0, INVOICE_LINKS_SHOWN).map((id) => (
              <li key={id}>
                <Link href={`/invoices/${id}`}>Draft #{id}</Link>
              </li>
            ))}
            {more > 0 && (
              <li>
                and {more} more on the <Link href="/invoices">Invoices</Link> page
              </li>
            )}
          </ul>
        )}
        {job.errors.length > 0 && (
          <ul className="job-errors">
            {job.errors.map((e) => (
              <li key={e.contractId}>
                {e.contractId ? (
                  <Link href={`/contracts/${e.contractId}`}>
                    {e.contractName ?? `Contract ${e.contractId}`}
                  </Link>
                ) : (
                  'The job'
                )}
                : {e.code} {e.message}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
