/**
 * Backlog ageing: unbilled amount by age bucket, stacked by customer, one chart per currency.
 * The chart is keyboard usable (focus it, then arrow keys move between buckets); the table
 * under it carries the exact amounts.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { Money } from '../components/Money';
import { ApiError, getAll } from '../lib/api';
import { ageing, type AgeingItem, type AgeingTable } from '../lib/ageing';
import { todayIso } from '../lib/dates';
import { chartValue, formatDecimal } from '../lib/decimal';
import { useReference } from '../lib/reference';
import type { BacklogRow } from './backlog-views';

const COLOURS = [
  '#1f5fbf',
  '#d9822b',
  '#2a9d8f',
  '#9b5de5',
  '#e63946',
  '#6c757d',
  '#8ab17d',
  '#f4a261',
];
/** Not yet posted (milestone splits never start Unbilled). */
const OPEN_SPLITS = ['NotReadyToInvoice', 'ReadyToInvoice', 'CustomerInvoiceCreated'];

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

function AgeingChart({ table }: { table: AgeingTable }) {
  const ref = useReference();
  const { box, size } = useSize();
  const data = table.rows.map((r) => ({
    bucket: r.label,
    ...Object.fromEntries(
      table.customers.map((c) => [c, r.byCustomer[c] ? chartValue(r.byCustomer[c]) : 0]),
    ),
    exact: r.byCustomer,
  }));
  return (
    <section className="card ageing" aria-labelledby={`ageing-${table.currency}`}>
      <h2 id={`ageing-${table.currency}`}>
        Unbilled {table.currency}: <Money value={table.total} currency={table.currency} />
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
              formatter={(_value, name, item) => {
                const exact = (item.payload as { exact: Record<string, string> }).exact[
                  String(name)
                ];
                return [
                  exact ? formatDecimal(exact, undefined, table.currency) : '—',
                  ref.customerName(String(name)),
                ];
              }}
            />
            <Legend formatter={(value) => ref.customerName(String(value))} />
            {table.customers.map((c, i) => (
              <Bar key={c} dataKey={c} stackId="age" fill={COLOURS[i % COLOURS.length]} name={c} />
            ))}
          </BarChart>
        )}
      </div>
      <div className="table-wrap">
        <table className="grid" aria-label={`Unbilled ${table.currency} by age and customer`}>
          <thead>
            <tr>
              <th>Age</th>
              {table.customers.map((c) => (
                <th key={c} className="right">
                  {ref.customerName(c)}
                </th>
              ))}
              <th className="right">Total</th>
            </tr>
          </thead>
          <tbody>
            {table.rows.map((r) => (
              <tr key={r.bucket}>
                <th scope="row">{r.label}</th>
                {table.customers.map((c) => (
                  <td key={c} className="right">
                    {r.byCustomer[c] ? (
                      <Money value={r.byCustomer[c]} currency={table.currency} />
                    ) : (
                      ''
                    )}
                  </td>
                ))}
                <td className="right">
                  {Object.keys(r.byCustomer).length > 0 ? (
                    <Money value={r.total} currency={table.currency} />
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function AgeingPage() {
  const ref = useReference();
  const [items, setItems] = useState<AgeingItem[] | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    void (async () => {
      const out: AgeingItem[] = [];
      const missing: string[] = [];
      const sources: [string, string, string[] | undefined, (r: BacklogRow) => boolean][] = [
        // Chargeable T&M rows only: non-chargeable ones will never be billed. The view leaves
        // posted rows out by default.
        [
          '/backlog/time-and-material',
          'Time and material',
          undefined,
          (r) => r.billingType === 'Chargeable',
        ],
        ['/backlog/fixed-price-milestones', 'Milestones', OPEN_SPLITS, () => true],
      ];
      for (const [path, label, billingStatus, keep] of sources) {
        try {
          const rows = await getAll<BacklogRow>(path, { billingStatus }, 20_000);
          for (const r of rows.filter(keep)) {
            const currency = r.currency ?? ref.currencyOf(r.contractId ?? '');
            if (r.date && r.customerId && r.amount && currency) {
              out.push({ date: r.date, customerId: r.customerId, currency, amount: r.amount });
            }
          }
        } catch (e) {
          if (e instanceof ApiError && e.status === 404) missing.push(label);
          else setNote(e instanceof Error ? e.message : String(e));
        }
      }
      if (missing.length > 0) setNote(`${missing.join(' and ')}: not available yet.`);
      setItems(out);
    })();
  }, [ref.contracts]); // currencies come with the contracts
  const tables = useMemo(() => (items ? ageing(items, todayIso()) : []), [items]);
  return (
    <div className="page">
      <h1>Backlog ageing</h1>
      <p className="muted">
        Everything billable and not yet invoiced (posted), by how many days ago it was dated:
        chargeable time and material rows and milestone splits. Items dated in the future are not
        yet due and are left out.
      </p>
      {note && <p role="status">{note}</p>}
      {items === null && <p>Loading…</p>}
      {items !== null && tables.length === 0 && <p className="empty">Nothing unbilled.</p>}
      {tables.map((t) => (
        <AgeingChart key={t.currency} table={t} />
      ))}
    </div>
  );
}
