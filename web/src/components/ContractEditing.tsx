/**
 * Editing a contract's setup (R90): names, not-to-exceed limits at all four levels (R20)
 * with their live usage, a line's amounts, classes, schedule and split. After a limit is
 * raised, the page offers to re-evaluate the contract's Failed actuals (R26): a changed
 * limit never changes a status by itself.
 */
import { TransactionClassesField } from './TransactionClassesField';
import { useState, type FormEvent } from 'react';
import { getAll, patch, post, type BulkResult } from '../lib/api';
import { amountPlaceholder, compareDecimals } from '../lib/decimal';
import type { Contract, ContractLine } from '../lib/model';
import { nteSentence, type LevelUsage } from '../lib/problems';
import { nameOf } from '../pages/backlog-views';
import { BulkOutcome } from './BulkOutcome';
import { FieldMessage, FormProblem, ProblemSummary } from './FormErrors';
import { GatedButton, IfAllowed } from './Gated';
import { Money } from './Money';

/** Whether a new limit gives more room than the old one (removing a limit does). */
export function isRaise(before: string | null, after: string | null): boolean {
  if (after === null) return before !== null;
  if (before === null) return false;
  return compareDecimals(after, before) > 0;
}

/** limit · invoiced · committed · headroom of one level, or "no limit". */
export function UsageLine({
  usage,
  currency,
  level,
}: {
  usage: unknown;
  currency: string;
  level: string;
}) {
  const u = usage as LevelUsage | null | undefined;
  if (!u) return <span className="muted">No limit</span>;
  const exhausted = u.headroom.startsWith('-') || /^0(\.0+)?$/.test(u.headroom);
  return (
    <span className="usage" aria-label={`Not-to-exceed usage at ${level}`}>
      Limit <Money value={u.limit} currency={currency} /> · invoiced{' '}
      <Money value={u.invoiced} currency={currency} /> · committed{' '}
      <Money value={u.committed} currency={currency} /> · headroom{' '}
      <strong>
        <Money value={u.headroom} currency={currency} />
      </strong>
      {exhausted && <span className="row-note error"> {nteSentence(level, u, currency)}</span>}
    </span>
  );
}

/** One not-to-exceed limit: shows it with its usage; an admin can change or remove it. */
export function LimitEditor({
  label,
  level,
  value,
  usage,
  currency,
  path,
  onSaved,
}: {
  label: string;
  level: string;
  value: string | null;
  usage: unknown;
  currency: string;
  /** PATCH path that takes `{notToExceed}`. */
  path: string;
  onSaved: (raised: boolean) => Promise<void>;
}) {
  const [draft, setDraft] = useState(value ?? '');
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    const next = draft.trim() === '' ? null : draft.trim();
    try {
      await patch(path, { notToExceed: next });
      await onSaved(isRaise(value, next));
    } catch (err) {
      setProblem(FormProblem.from(err));
    }
  };
  return (
    <div className="limit-editor">
      <UsageLine usage={usage} currency={currency} level={level} />
      <IfAllowed need="admin">
        <form className="edit-form" onSubmit={save}>
          <label>
            {label}
            <input
              inputMode="decimal"
              placeholder={`${amountPlaceholder(currency)} (empty: no limit)`}
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
            />
          </label>
          <button type="submit" aria-label={`Save ${label}`}>
            Save limit
          </button>
          <FieldMessage problem={problem} field="notToExceed" />
          <ProblemSummary problem={problem} fields={['notToExceed']} />
        </form>
      </IfAllowed>
    </div>
  );
}

/** The contract's own fields: name and contract-level limit. */
export function ContractEditForm({
  contract,
  onSaved,
}: {
  contract: Contract;
  onSaved: (raised: boolean) => Promise<void>;
}) {
  const [name, setName] = useState(contract.name);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    try {
      await patch(`/contracts/${contract.id}`, { name });
      await onSaved(false);
    } catch (err) {
      setProblem(FormProblem.from(err));
    }
  };
  return (
    <IfAllowed need="admin">
      <form className="edit-form" onSubmit={save} aria-label="Rename contract">
        <label>
          Contract name
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit">Save name</button>
        <FieldMessage problem={problem} field="name" />
        <ProblemSummary problem={problem} fields={['name']} />
      </form>
    </IfAllowed>
  );
}

/** After a raise: re-evaluate the contract's Failed actuals (R26), with the outcome listed. */
export function ReevaluateOffer({
  contractId,
  onDone,
}: {
  contractId: string;
  onDone: () => Promise<void>;
}) {
  const [results, setResults] = useState<BulkResult[] | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const failed = await getAll<{ id: string }>('/backlog/time-and-material', {
        contractId,
        nteStatus: 'Failed',
      });
      if (failed.length === 0) {
        setResults([]);
        return;
      }
      const res = await post<{ results: BulkResult[] }>(
        '/backlog/time-and-material/reevaluate-nte',
        { ids: failed.map((f) => f.id) },
      );
      setResults(res.results);
      await onDone();
    } finally {
      setBusy(false);
    }
  };
  const committed = results?.filter((r) => r.ok && r.status === 'Committed').length ?? 0;
  return (
    <div className="card offer" role="region" aria-label="Re-evaluate failed actuals">
      {results === null ? (
        <>
          <p>
            The limit was raised. Actuals that failed the not-to-exceed check stay Failed until they
            are re-evaluated against the new limit.
          </p>
          <GatedButton need="bill" disabled={busy} onClick={() => void run()}>
            Re-evaluate failed actuals of this contract
          </GatedButton>
        </>
      ) : results.length === 0 ? (
        <p role="status">No actual of this contract is Failed: nothing to re-evaluate.</p>
      ) : (
        <>
          <BulkOutcome verb="Re-evaluated" results={results} />
          <p role="status">
            {committed} now committed; {results.length - committed} still over a limit.
          </p>
        </>
      )}
    </div>
  );
}

/** A line's own fields (R90). The split can change only while nothing is allocated. */
export function LineEditForm({
  line,
  currency,
  onSaved,
}: {
  line: ContractLine;
  currency: string;
  onSaved: (raised: boolean) => Promise<void>;
}) {
  const isTM = line.billingMethod === 'TimeAndMaterial';
  const [name, setName] = useState(line.name);
  const [contracted, setContracted] = useState(line.contractedAmount ?? '');
  const [classes, setClasses] = useState<string[]>(line.transactionClasses);
  const [schedule, setSchedule] = useState(
    line.invoiceSchedule.map((s) => `${s.runDate}/${s.cutoffDate}`).join(', '),
  );
  const [splits, setSplits] = useState(
    line.customers.map((c) => ({
      customerId: c.customerId,
      billingSplitPercent: c.billingSplitPercent,
      isRounding: c.isRounding,
    })),
  );
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [saved, setSaved] = useState(false);
  const customerName = (customerId: string) =>
    nameOf(line.customers.find((c) => c.customerId === customerId)?.customerName, customerId);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setSaved(false);
    const body: Record<string, unknown> = { name, transactionClasses: classes };
    if (contracted.trim() !== (line.contractedAmount ?? '')) {
      body.contractedAmount = contracted.trim() === '' ? null : contracted.trim();
    }
    if (isTM) {
      body.invoiceSchedule = schedule
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((s) => {
          const [runDate, cutoffDate] = s.split('/').map((x) => x.trim());
          return cutoffDate ? { runDate, cutoffDate } : { runDate };
        });
    }
    const splitChanged = splits.some((s, i) => {
      const was = line.customers[i];
      return (
        !was ||
        compareDecimals(s.billingSplitPercent || '0', was.billingSplitPercent) !== 0 ||
        s.isRounding !== was.isRounding
      );
    });
    if (splitChanged) body.customers = splits;
    try {
      await patch(`/contract-lines/${line.id}`, body);
      setSaved(true);
      await onSaved(false);
    } catch (err) {
      setProblem(FormProblem.from(err));
    }
  };
  const fields = [
    'name',
    'contractedAmount',
    'transactionClasses',
    'invoiceSchedule',
    'customers',
    ...splits.flatMap((_, i) => [
      `customers.${i}.billingSplitPercent`,
      `customers.${i}.customerId`,
    ]),
  ];
  return (
    <IfAllowed need="admin">
      <details className="line-edit">
        <summary>Edit line “{line.name}”</summary>
        <form onSubmit={save} aria-label={`Edit line ${line.name}`}>
          <ProblemSummary problem={problem} fields={fields} />
          <div className="row">
            <label>
              Line name
              <input value={name} onChange={(e) => setName(e.target.value)} />
              <FieldMessage problem={problem} field="name" />
            </label>
            <label>
              Contracted amount
              <input
                inputMode="decimal"
                placeholder={amountPlaceholder(currency)}
                value={contracted}
                onChange={(e) => setContracted(e.target.value)}
              />
              <FieldMessage problem={problem} field="contractedAmount" />
            </label>
            {isTM && (
              <label>
                Invoice schedule (run date/cut-off, …)
                <input
                  placeholder="2026-04-01, 2026-05-01/2026-04-25"
                  value={schedule}
                  onChange={(e) => setSchedule(e.target.value)}
                />
                <FieldMessage problem={problem} field="invoiceSchedule" />
              </label>
            )}
          </div>
          <TransactionClassesField value={classes} onChange={setClasses} problem={problem} />
          <fieldset>
            <legend>Split (changes only while the line has no actuals and no milestones)</legend>
            {splits.map((s, i) => (
              <div key={s.customerId} className="row">
                <label>
                  Split % of {customerName(s.customerId)}
                  <input
                    inputMode="decimal"
                    value={s.billingSplitPercent}
                    onChange={(e) =>
                      setSplits((all) =>
                        all.map((x, j) =>
                          j === i ? { ...x, billingSplitPercent: e.target.value } : x,
                        ),
                      )
                    }
                  />
                  <FieldMessage problem={problem} field={`customers.${i}.billingSplitPercent`} />
                </label>
                <label className="inline">
                  <input
                    type="radio"
                    name={`rounding-${line.id}`}
                    checked={s.isRounding}
                    onChange={() =>
                      setSplits((all) => all.map((x, j) => ({ ...x, isRounding: j === i })))
                    }
                  />
                  Takes the rounding
                </label>
              </div>
            ))}
            <FieldMessage problem={problem} field="customers" />
          </fieldset>
          <button type="submit">Save line</button>
          {saved && <span role="status"> Line saved.</span>}
        </form>
      </details>
    </IfAllowed>
  );
}
