/**
 * Invoice runs (R66): preview a run date (explaining an empty result), then run it, either
 * in this request or as a background job with live progress (R95).
 */
import { useState } from 'react';
import { FormProblem, ProblemSummary } from '../components/FormErrors';
import { GatedButton } from '../components/Gated';
import {
  InvoiceRunJob,
  QueueInvoiceRunJob,
  type InvoiceRunJobView,
} from '../components/InvoiceRunJob';
import { InvoiceRunResult, type RunOutcome } from '../components/InvoiceRunResult';
import { RecentInvoiceRuns } from '../components/RecentInvoiceRuns';
import { get, post } from '../lib/api';
import { todayIso } from '../lib/dates';
import type { Invoice } from '../lib/model';
import { explainEmptyRun } from '../lib/run-explanation';

/** A job's invoices listed on the page: the first ones, each by id (no list takes ids). */
const JOB_INVOICES_SHOWN = 50;

export function InvoiceRunPage() {
  const [runDate, setRunDate] = useState(todayIso());
  const [outcome, setOutcome] = useState<RunOutcome | null>(null);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  // True from following a job until it has finished: one click queues one job.
  const [jobOpen, setJobOpen] = useState(false);
  const [jobsChanged, setJobsChanged] = useState(0);
  const follow = (id: string) => {
    setOutcome(null);
    setJobId(id);
    setJobOpen(true);
  };
  const run = async (dryRun: boolean) => {
    setBusy(true);
    setProblem(null);
    try {
      const res = await post<{ invoices: Invoice[] }>('/invoice-runs', { runDate, dryRun });
      const reasons = res.invoices.length === 0 ? await explainEmptyRun(runDate) : [];
      setOutcome({ runDate, dryRun, invoices: res.invoices, reasons });
    } catch (e) {
      setProblem(FormProblem.from(e));
    } finally {
      setBusy(false);
    }
  };
  const jobFinished = async (job: InvoiceRunJobView) => {
    setJobOpen(false);
    setJobsChanged((n) => n + 1);
    try {
      const invoices = await Promise.all(
        job.invoiceIds.slice(0, JOB_INVOICES_SHOWN).map((id) => get<Invoice>(`/invoices/${id}`)),
      );
      const reasons =
        job.invoiceIds.length === 0 && job.errors.length === 0
          ? await explainEmptyRun(job.runDate)
          : [];
      setOutcome({
        runDate: job.runDate,
        dryRun: false,
        invoices,
        reasons,
        total: job.invoiceIds.length,
      });
    } catch (e) {
      setProblem(FormProblem.from(e));
    }
  };
  return (
    <div className="page">
      <h1>Invoice runs</h1>
      <p className="muted">
        A run takes, for each time-and-material line scheduled on the run date, its ready items up
        to the line’s cut-off, plus ready milestones and retainers dated on or before the run date.
        Preview first: it writes nothing.
      </p>
      <form
        className="card"
        aria-label="Invoice run"
        onSubmit={(e) => {
          e.preventDefault();
          void run(true);
        }}
      >
        <div className="row">
          <label>
            Run date
            <input
              type="date"
              name="runDate"
              value={runDate}
              onChange={(e) => setRunDate(e.target.value)}
            />
          </label>
          <GatedButton need="bill" type="submit" className="secondary" disabled={busy}>
            Preview
          </GatedButton>
          <GatedButton need="bill" disabled={busy} onClick={() => void run(false)}>
            Run
          </GatedButton>
          <QueueInvoiceRunJob
            runDate={runDate}
            disabled={busy || jobOpen}
            onQueued={(id) => {
              follow(id);
              setJobsChanged((n) => n + 1);
            }}
          />
        </div>
        <ProblemSummary problem={problem} fields={['runDate']} />
        {jobId && <InvoiceRunJob jobId={jobId} onFinished={jobFinished} />}
      </form>
      {outcome && <InvoiceRunResult outcome={outcome} />}
      <RecentInvoiceRuns refresh={jobsChanged} shownJobId={jobId} onShow={follow} />
    </div>
  );
}
