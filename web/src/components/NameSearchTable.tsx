/**
 * A list of contracts or customers searched by name on the server (`q`), 50 rows at a time
 * with "more" on demand: at 10,000 records the page never downloads them all (issue 18).
 */
import { useEffect, useState, type ReactNode } from 'react';
import { get, type Page } from '../lib/api';
import { FormProblem, ProblemSummary } from './FormErrors';

/** Waits this long after the last keystroke before asking the server. */
const TYPING_PAUSE_MS = 200;

function useNameSearch<T>(path: string, q: string) {
  const [items, setItems] = useState<T[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const load = async (after: string | null) => {
    try {
      const page = await get<Page<T>>(path, { q, limit: 50, cursor: after });
      setItems((prev) => (after && prev ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
      setProblem(null);
    } catch (e) {
      setProblem(FormProblem.from(e));
    }
  };
  useEffect(() => {
    const timer = setTimeout(() => void load(null), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [path, q]);
  return { items, more: cursor ? () => load(cursor) : null, problem };
}

export function NameSearchTable<T extends { id: string }>({
  path,
  noun,
  head,
  row,
}: {
  path: '/contracts' | '/customers';
  /** Singular, lower case: "contract". */
  noun: string;
  /** The header cells. */
  head: ReactNode;
  /** The cells of one record's row. */
  row: (item: T) => ReactNode;
}) {
  const [q, setQ] = useState('');
  const { items, more, problem } = useNameSearch<T>(path, q);
  const plural = `${noun}s`;
  const title = plural[0]!.toUpperCase() + plural.slice(1);
  return (
    <>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Find a {noun}
          <input
            type="search"
            name="q"
            value={q}
            placeholder="Part of its name"
            onChange={(e) => setQ(e.target.value)}
          />
        </label>
      </form>
      <ProblemSummary problem={problem} fields={[]} />
      <div className="table-wrap">
        <table className="grid" aria-label={title}>
          <thead>
            <tr>{head}</tr>
          </thead>
          <tbody>
            {(items ?? []).map((item) => (
              <tr key={item.id}>{row(item)}</tr>
            ))}
          </tbody>
        </table>
        {items === null && <p>Loading…</p>}
        {items?.length === 0 && (
          <p className="empty">{q ? `No ${noun} matches.` : `No ${plural} yet.`}</p>
        )}
        {more && (
          <button type="button" onClick={() => void more()}>
            More {plural}
          </button>
        )}
      </div>
    </>
  );
}
