/**
 * R95: the invoice run as a background job. Queues `POST /invoice-runs/jobs`, then polls the
 * job and shows a live progress bar (contracts done of the total), the invoices created and
 * each contract that failed. The page stays usable while the job runs on the server.
 */
import { useEffect, useRef, useState } from 'react';
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
const isFinished = (job: InvoiceRunJobView) =>
  job.status === 'Succeeded' || job.status === 'Failed';

export function InvoiceRunJob({
  runDate,
  onFinished,
}: {
  runDate: string;
  /** Called once the job has finished, with its final state (the page shows its invoices). */
  onFinished?: (job: InvoiceRunJobView) => void | Promise<void>;
}) {
  const [job, setJob] = useState<InvoiceRunJobView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const poll = (id: string) => {
    timer.current = setTimeout(async () => {
      try {
        const next = await get<InvoiceRunJobView>(`/invoice-runs/jobs/${id}`);
        setJob(next);
        if (isFinished(next)) await onFinished?.(next);
        else poll(id);
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
      }
    }, POLL_MS);
  };

  const queue = async () => {
    setError(null);
    try {
      // The 202 answer promises only id, status and runDate (R95); the rest comes with polling.
      const queued = await post<Pick<InvoiceRunJobView, 'id' | 'status' | 'runDate'>>(
        '/invoice-runs/jobs',
        { runDate },
      );
      setJob({
        progress: { contractsDone: 0, contractsTotal: 0 },
        invoiceIds: [],
        errors: [],
        createdAt: new Date().toISOString(),
        ...queued,
      });
      poll(queued.id);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const running = job !== null && !isFinished(job);
  const { contractsDone = 0, contractsTotal = 0 } = job?.progress ?? {};
  return (
    <div className="invoice-run-job" aria-live="polite">
      <GatedButton need="bill" disabled={running} onClick={() => void queue()}>
        Run in background
      </GatedButton>
      {error && <p role="alert">{error}</p>}
      {job && (
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
              {job.invoiceIds.map((id) => (
                <li key={id}>
                  <Link href={`/invoices/${id}`}>Draft #{id}</Link>
                </li>
              ))}
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
      )}
    </div>
  );
}
