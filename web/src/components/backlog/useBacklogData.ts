/**
 * The data of a backlog view: the first page for the filter, the next pages as they are
 * asked for (cursor paging), and the totals of the whole filter from the API. A newer
 * filter wins over an answer still on its way for an older one.
 */
import { useCallback, useRef, useState } from 'react';
import { ApiError, get, type BacklogPage, type Query, type Totals } from '../../lib/api';
import { fieldSentence } from '../../lib/problems';
import type { BacklogRow } from '../../pages/backlog-views';

const PAGE = 100;

export type LoadState = 'loading' | 'ready' | 'unavailable' | 'error';

export function useBacklogData(path: string, query: Query) {
  const [rows, setRows] = useState<BacklogRow[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [totals, setTotals] = useState<Totals | undefined>();
  const [state, setState] = useState<LoadState>('loading');
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const generation = useRef(0);

  const load = useCallback(async () => {
    const gen = ++generation.current;
    setState('loading');
    setError(null);
    try {
      const page = await get<BacklogPage<BacklogRow>>(path, { ...query, limit: PAGE });
      if (gen !== generation.current) return;
      setRows(page.items);
      setCursor(page.nextCursor);
      setTotals(page.totals);
      setState('ready');
    } catch (e) {
      if (gen !== generation.current) return;
      if (e instanceof ApiError && e.status === 404) setState('unavailable');
      else {
        setState('error');
        const fields =
          e instanceof ApiError ? e.errors.map((f) => fieldSentence(f.field, f.message)) : [];
        setError([e instanceof Error ? e.message : String(e), ...fields].join('; '));
      }
    }
  }, [path, query]);

  const loadMore = useCallback(async () => {
    if (!cursor || loadingMore) return;
    const gen = generation.current;
    setLoadingMore(true);
    try {
      const page = await get<BacklogPage<BacklogRow>>(path, { ...query, limit: PAGE, cursor });
      if (gen !== generation.current) return;
      setRows((prev) => [...prev, ...page.items]);
      setCursor(page.nextCursor);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setLoadingMore(false);
    }
  }, [cursor, loadingMore, path, query]);

  /** Totals for the whole filter, after an action changed statuses. */
  const refreshTotals = useCallback(async () => {
    try {
      const page = await get<BacklogPage<BacklogRow>>(path, { ...query, limit: 1 });
      setTotals(page.totals);
    } catch {
      // The grid keeps its last totals; the next load refreshes them.
    }
  }, [path, query]);

  return {
    rows,
    setRows,
    cursor,
    totals,
    state,
    error,
    loadingMore,
    load,
    loadMore,
    refreshTotals,
  };
}
