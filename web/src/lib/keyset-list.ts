/**
 * A list page read a page at a time by the API's keyset cursor: the first page whenever the
 * filters change, the next on "Load more". Nothing past what is shown is downloaded.
 */
import { useCallback, useEffect, useState } from 'react';
import { FormProblem } from '../components/FormErrors';
import { get, type Page, type Query } from './api';

export function useKeysetList<T>(path: string, query: Query) {
  // The query's content, not its identity, decides when the list starts over.
  const key = JSON.stringify(query);
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const load = useCallback(
    async (after: string | null = null) => {
      try {
        setProblem(null);
        const page = await get<Page<T>>(path, { ...(JSON.parse(key) as Query), cursor: after });
        setItems((prev) => (after ? [...prev, ...page.items] : page.items));
        setCursor(page.nextCursor);
      } catch (e) {
        setProblem(FormProblem.from(e));
      }
    },
    [path, key],
  );
  useEffect(() => {
    void load();
  }, [load]);
  return {
    items,
    /** For a page that drops rows it acted on before the reload comes back. */
    setItems,
    problem,
    reload: () => load(),
    more: cursor ? () => load(cursor) : null,
  };
}
