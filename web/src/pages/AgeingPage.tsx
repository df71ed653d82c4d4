/**
 * Backlog ageing: the server's report (`GET /reports/backlog-ageing`), every sum computed by
 * the database, so the page shows the whole backlog whatever its size. Per currency: a chart
 * of the totals by age bucket (keyboard usable: focus it, then arrow keys move between
 * buckets) and a table with one row per customer carrying the exact amounts.
 */
import { useEffect, useRef, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { Money } from '../components/Money';
import { ContractFilter, CustomerFilter } from '../components/SearchCombobox';
import { ApiError, get } from '../lib/api';
import { todayIso } from '../lib/dates';
import { chartValue, formatDecimal } from '../lib/decimal';

/** The report as the API answers it (spec §5). */
export interface AgeingLine {
  currency: string;
  amounts: Record<string, string>;
  total: string;
}
export interface AgeingReport {
  asOf: string;
  buckets: string[];
  rows: (AgeingLine & { customerId: string; customerName: string })[];
  totals: AgeingLine[];
}

const BUCKET_LABELS: Record<string, string> = {
  '0-30': '0–30 days',
  '31-60': '31–60 days',
  '61-90': '61–90 days',
  '91-180': '91–180 days',
  '180+': 'Over 180 days',
};
const bucketLabel = (b: string) => BUCKET_LABELS[b] ?? b;

/** The element's content size, kept current as the window changes. */
function useSize() {
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setSize({ width: el.clientWidth - 16, height: el.clientHeight - 16 });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return { box, size };
}

function CurrencyAgeing({ report, total }: { report: AgeingReport; total: AgeingLine }) {
  const { box, size } = useSize();
  const { currency } = total;
  const rows = report.rows.filter((r) => r.currency === currency);
  const data = report.buckets.map((b) => ({
    bucket: bucketLabel(b),
    amount: chartValue(total.amounts[b] ?? '0'),
    exact: total.amounts[b] ?? '0',
  }));
  return (
    <section className="card ageing" aria-labelledby={`ageing-${currency}`}>
      <h2 id={`ageing-${currency}`}>
        Unbilled {currency}: <Money value={total.total} currency={currency} />
      </h2>
      <div className="chart-wrap" ref={box}>
        {size.width > 0 && (
          <BarChart
            width={size.width}
            height={size.height}
            data={data}
            accessibilityLayer
            margin={{ top: 8, right: 16, left: 16, bottom: 8 }}
          >
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="bucket" />
            <YAxis
              tickFormatter={(v: number) =>
                new Intl.NumberFormat(undefined, { notation: 'compact' }).format(v)
              }
            />
            <Tooltip
              formatter={(_value, _name, item) => [
                formatDecimal((item.payload as { exact: string }).exact, undefined, currency),
                `Unbilled ${currency}`,
              ]}
            />
            <Bar dataKey="amount" name={`Unbilled ${currency}`} fill="#1f5fbf" />
          </BarChart>
        )}
      </div>
      <div className="table-wrap">
        <table className="grid" aria-label={`Unbilled ${currency} by customer and age`}>
          <thead>
            <tr>
              <th>Customer</th>
              {report.buckets.map((b) => (
                <th key={b} className="right">
                  {bucketLabel(b)}
                </th>
              ))}
              <th className="right">Total</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.customerId} data-customer-id={r.customerId}>
                <th scope="row">{r.customerName}</th>
                {report.buckets.map((b) => (
                  <td key={b} className="right">
                    <Money value={r.amounts[b]} currency={currency} />
                  </td>
                ))}
                <td className="right">
                  <Money value={r.total} currency={currency} />
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">All customers</th>
              {report.buckets.map((b) => (
                <td key={b} className="right">
                  <Money value={total.amounts[b]} currency={currency} />
                </td>
              ))}
              <td className="right">
                <Money value={total.total} currency={currency} />
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
    </section>
  );
}

export function AgeingPage() {
  const [contractId, setContractId] = useState('');
  const [customerId, setCustomerId] = useState('');
  const [asOf, setAsOf] = useState(todayIso());
  const [milestones, setMilestones] = useState(true);
  const [report, setReport] = useState<AgeingReport | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setReport(null);
    setNote(null);
    get<AgeingReport>('/reports/backlog-ageing', {
      contractId,
      customerId,
      asOf,
      include: milestones ? 'milestones' : undefined,
    })
      .then((r) => live && setReport(r))
      .catch((e: unknown) => {
        if (!live) return;
        setNote(
          e instanceof ApiError && e.status === 404
            ? 'The ageing report is not available yet.'
            : e instanceof Error
              ? e.message
              : String(e),
        );
        setReport({ asOf, buckets: [], rows: [], totals: [] });
      });
    return () => {
      live = false;
    };
  }, [contractId, customerId, asOf, milestones]);
  return (
    <div className="page">
      <h1>Backlog ageing</h1>
      <p className="muted">
        Everything billable and not yet invoiced (posted), by how many days before the report date
        it was dated: chargeable time and material rows and, when included, milestone splits. Items
        dated after the report date are not yet due and are left out.
      </p>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
        <ContractFilter value={contractId} onChange={setContractId} />
        <CustomerFilter value={customerId} onChange={setCustomerId} />
        <label>
          As of
          <input
            type="date"
            name="asOf"
            value={asOf}
            required
            onChange={(e) => e.target.value && setAsOf(e.target.value)}
          />
        </label>
        <label>
          <input
            type="checkbox"
            name="include"
            checked={milestones}
            onChange={(e) => setMilestones(e.target.checked)}
          />
          Milestone splits
        </label>
      </form>
      {note && <p role="status">{note}</p>}
      {report === null && <p>Loading…</p>}
      {report !== null && report.totals.length === 0 && !note && (
        <p className="empty">Nothing unbilled.</p>
      )}
      {report?.totals.map((t) => (
        <CurrencyAgeing key={t.currency} report={report} total={t} />
      ))}
    </div>
  );
}
