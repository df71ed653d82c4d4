/**
 * NTE usage per level, as the contract API reports it (its exact shape is the NTE work's):
 * a list of objects becomes a table, anything else a definition list. Amount-like values
 * (decimal strings) are formatted with the contract's currency.
 */
import { Money } from './Money';
import { humanize } from '../lib/model';

const DECIMAL = /^-?\d+(\.\d+)?$/;

function Value({ value, currency }: { value: unknown; currency: string }) {
  if (typeof value === 'string' && DECIMAL.test(value))
    return <Money value={value} currency={currency} />;
  if (value === null || value === undefined) return <span className="muted">—</span>;
  if (typeof value === 'object') return <NteUsage usage={value} currency={currency} />;
  return <>{humanize(String(value))}</>;
}

export function NteUsage({ usage, currency }: { usage: unknown; currency: string }) {
  if (usage === null || usage === undefined) return null;
  if (Array.isArray(usage)) {
    const rows = usage.filter(
      (r): r is Record<string, unknown> => typeof r === 'object' && r !== null,
    );
    const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    return (
      <table className="grid compact nte-usage">
        <thead>
          <tr>
            {keys.map((k) => (
              <th key={k}>{humanize(k)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {keys.map((k) => (
                <td key={k}>
                  <Value value={r[k]} currency={currency} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  if (typeof usage === 'object') {
    return (
      <dl className="nte-usage">
        {Object.entries(usage as Record<string, unknown>).map(([k, v]) => (
          <div key={k}>
            <dt>{humanize(k)}</dt>
            <dd>
              <Value value={v} currency={currency} />
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  return <span>{String(usage)}</span>;
}
