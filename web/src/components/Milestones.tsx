/**
 * The milestones of a fixed-price line (R40–R45): create one, generate periodic ones (R43),
 * edit or delete one while no split is on an invoice (R45), mark ready, and invoice the
 * ready ones.
 */
import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { del, getAll, patch, post, type BulkResult } from '../lib/api';
import { formatDate } from '../lib/dates';
import { amountPlaceholder, sumDecimals } from '../lib/decimal';
import type { ContractLine, Invoice } from '../lib/model';
import { Badge } from './Badge';
import { BulkOutcome } from './BulkOutcome';
import { FieldMessage, FormProblem, ProblemSummary } from './FormErrors';
import { GatedButton, IfAllowed } from './Gated';
import { Link } from './Link';
import { Money } from './Money';

interface SplitRow {
  id: string;
  milestoneId: string;
  name: string;
  date: string;
  customerId: string;
  amount: string;
  currency: string;
  billingStatus: string;
  headerStatus: string;
  invoiceId?: string;
}

interface MilestoneGroup {
  id: string;
  name: string;
  date: string;
  headerStatus: string;
  splits: SplitRow[];
}

const ALL_STATUSES = [
  'NotReadyToInvoice',
  'ReadyToInvoice',
  'CustomerInvoiceCreated',
  'CustomerInvoicePosted',
];
const FREQUENCIES = ['weekly', 'monthly', 'quarterly'];

function MilestoneRow({
  m,
  contractId,
  currency,
  onChanged,
}: {
  m: MilestoneGroup;
  contractId: string;
  currency: string;
  onChanged: (note?: ReactNode) => Promise<void>;
}) {
  const locked = m.splits.some(
    (s) =>
      s.billingStatus === 'CustomerInvoiceCreated' || s.billingStatus === 'CustomerInvoicePosted',
  );
  const notReady = m.splits.filter((s) => s.billingStatus === 'NotReadyToInvoice');
  const ready = m.splits.filter((s) => s.billingStatus === 'ReadyToInvoice');
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(m.name);
  const [date, setDate] = useState(m.date);
  const [amount, setAmount] = useState(sumDecimals(m.splits.map((s) => s.amount)));
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const act = async (fn: () => Promise<ReactNode | void>) => {
    setProblem(null);
    try {
      const note = await fn();
      await onChanged(note ?? undefined);
    } catch (e) {
      setProblem(FormProblem.from(e));
    }
  };
  const lockedWhy = 'A split of this milestone is on an invoice: it can no longer change (R45)';
  return (
    <tr data-milestone-id={m.id}>
      <td>
        {editing ? (
          <form
            className="edit-form"
            aria-label={`Edit milestone ${m.name}`}
            onSubmit={(e) => {
              e.preventDefault();
              void act(async () => {
                await patch(`/milestones/${m.id}`, { name, date, amount });
                setEditing(false);
              });
            }}
          >
            <label>
              Name
              <input value={name} onChange={(e) => setName(e.target.value)} />
              <FieldMessage problem={problem} field="name" />
            </label>
            <label>
              Date
              <input type="date" value={date} onChange={(e) => setDate(e.target.value)} />
            </label>
            <label>
              Amount
              <input
                inputMode="decimal"
                value={amount}
                onChange={(e) => setAmount(e.target.value)}
              />
              <FieldMessage problem={problem} field="amount" />
            </label>
            <button type="submit">Save milestone</button>
            <button type="button" className="secondary" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </form>
        ) : (
          m.name
        )}
        <ProblemSummary problem={problem} fields={['name', 'amount']} />
      </td>
      <td>{formatDate(m.date)}</td>
      <td className="right">
        <Money value={sumDecimals(m.splits.map((s) => s.amount))} currency={currency} />
      </td>
      <td>
        <Badge value={m.headerStatus} />
      </td>
      <td>
        {notReady.length > 0 && (
          <GatedButton
            need="bill"
            aria-label={`Mark ${m.name} ready`}
            onClick={() =>
              void act(async () => {
                const { results } = await post<{ results: BulkResult[] }>(
                  '/backlog/fixed-price-milestones/mark-ready',
                  { ids: notReady.map((s) => s.id) },
                );
                return <BulkOutcome verb="Marked ready" results={results} live={false} />;
              })
            }
          >
            Mark ready
          </GatedButton>
        )}
        {ready.length > 0 && (
          <GatedButton
            need="bill"
            aria-label={`Invoice ${m.name}`}
            onClick={() =>
              void act(async () => {
                const res = await post<{ invoices: Invoice[] }>('/invoices', {
                  contractId,
                  itemIds: ready.map((s) => s.id),
                });
                return (
                  <span>
                    Created{' '}
                    {res.invoices.map((inv) => (
                      <Link key={inv.id} href={`/invoices/${inv.id}`}>
                        draft #{inv.id}{' '}
                      </Link>
                    ))}
                  </span>
                );
              })
            }
          >
            Invoice now
          </GatedButton>
        )}
        <GatedButton
          need="admin"
          className="secondary"
          disabled={locked}
          title={locked ? lockedWhy : undefined}
          aria-label={`Edit ${m.name}`}
          onClick={() => setEditing(true)}
        >
          Edit
        </GatedButton>
        <GatedButton
          need="admin"
          className="secondary"
          disabled={locked}
          title={locked ? lockedWhy : undefined}
          aria-label={`Delete ${m.name}`}
          onClick={() => void act(async () => void (await del(`/milestones/${m.id}`)))}
        >
          Delete
        </GatedButton>
      </td>
    </tr>
  );
}

export function Milestones({ line, currency }: { line: ContractLine; currency: string }) {
  const [groups, setGroups] = useState<MilestoneGroup[]>([]);
  const [note, setNote] = useState<ReactNode>(null);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [name, setName] = useState('');
  const [date, setDate] = useState('');
  const [amount, setAmount] = useState('');
  const [startDate, setStartDate] = useState('');
  const [endDate, setEndDate] = useState('');
  const [frequency, setFrequency] = useState('monthly');

  const load = useCallback(async () => {
    const rows = await getAll<SplitRow>('/backlog/fixed-price-milestones', {
      contractLineId: line.id,
      billingStatus: ALL_STATUSES,
    });
    const byId = new Map<string, MilestoneGroup>();
    for (const r of rows) {
      const g = byId.get(r.milestoneId) ?? {
        id: r.milestoneId,
        name: r.name,
        date: r.date,
        headerStatus: r.headerStatus,
        splits: [],
      };
      g.splits.push(r);
      byId.set(r.milestoneId, g);
    }
    setGroups([...byId.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)));
  }, [line.id]);
  useEffect(() => {
    void load().catch((e) => setProblem(FormProblem.from(e)));
  }, [load]);

  const submit = (fn: () => Promise<unknown>, done: () => void) => async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    try {
      await fn();
      done();
      await load();
    } catch (err) {
      setProblem(FormProblem.from(err));
    }
  };
  const total = groups.length
    ? sumDecimals(groups.flatMap((g) => g.splits.map((s) => s.amount)))
    : '0';
  return (
    <section aria-label={`Milestones of ${line.name}`}>
      <h4>Milestones</h4>
      <p className="muted">
        Milestones sum to <Money value={total} currency={currency} /> of the contracted{' '}
        <Money value={line.contractedAmount} currency={currency} />.
      </p>
      {note && <div role="status">{note}</div>}
      <ProblemSummary
        problem={problem}
        fields={['name', 'date', 'amount', 'startDate', 'endDate', 'frequency']}
      />
      <div className="table-wrap">
        <table className="grid compact">
          <thead>
            <tr>
              <th>Milestone</th>
              <th>Date</th>
              <th className="right">Amount</th>
              <th>Status</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {groups.map((m) => (
              <MilestoneRow
                key={`${m.id}-${m.name}-${m.date}-${m.headerStatus}`}
                m={m}
                contractId={line.contractId}
                currency={currency}
                onChanged={async (n) => {
                  setNote(n ?? null);
                  await load();
                }}
              />
            ))}
          </tbody>
        </table>
        {groups.length === 0 && <p className="empty">No milestones yet.</p>}
      </div>
      <IfAllowed need="admin">
        <form
          className="edit-form"
          aria-label={`New milestone on ${line.name}`}
          onSubmit={submit(
            () => post(`/contract-lines/${line.id}/milestones`, { name, date, amount }),
            () => {
              setName('');
              setAmount('');
            },
          )}
        >
          <label>
            Milestone name
            <input value={name} onChange={(e) => setName(e.target.value)} />
            <FieldMessage problem={problem} field="name" />
          </label>
          <label>
            Milestone date
            <input type="date" value={date} onChange={(e) => setDate(e.target.value)} />
            <FieldMessage problem={problem} field="date" />
          </label>
          <label>
            Milestone amount
            <input
              inputMode="decimal"
              placeholder={amountPlaceholder(currency)}
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
            />
            <FieldMessage problem={problem} field="amount" />
          </label>
          <button type="submit">Add milestone</button>
        </form>
        <form
          className="edit-form"
          aria-label={`Generate milestones on ${line.name}`}
          onSubmit={submit(
            () =>
              post(`/contract-lines/${line.id}/milestones/generate`, {
                startDate,
                endDate,
                frequency,
              }),
            () => undefined,
          )}
        >
          <label>
            First period
            <input type="date" value={startDate} onChange={(e) => setStartDate(e.target.value)} />
            <FieldMessage problem={problem} field="startDate" />
          </label>
          <label>
            Last period
            <input type="date" value={endDate} onChange={(e) => setEndDate(e.target.value)} />
            <FieldMessage problem={problem} field="endDate" />
          </label>
          <label>
            Frequency
            <select value={frequency} onChange={(e) => setFrequency(e.target.value)}>
              {FREQUENCIES.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">Generate milestones</button>
        </form>
      </IfAllowed>
    </section>
  );
}
