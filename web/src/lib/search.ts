/**
 * A list searched by name on the server (`q`), 50 rows at a time with "more" on demand:
 * pages with 10,000 contracts or customers never download them all (issue 18).
 */
import { useEffect, useState } from 'react';
import { FormProblem } from '../components/FormErrors';
import { get, type Page } from './api';

/** Waits this long after the last keystroke before asking the server. */
const TYPING_PAUSE_MS = 200;

export function useNameSearch<T>(path: '/contracts' | '/customers', q: string) {
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
