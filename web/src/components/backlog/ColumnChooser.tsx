/**
 * Which columns a grid shows: on a narrow screen (1,024 px) hide the ones you do not need
 * rather than scroll sideways. The choice is kept per view in the browser.
 */
import type { Table, VisibilityState } from '@tanstack/react-table';
import { useState } from 'react';

const key = (view: string) => `billing-backlog.columns.${view}`;

export function useColumnVisibility(view: string) {
  const [visibility, setVisibility] = useState<VisibilityState>(() => {
    try {
      return JSON.parse(localStorage.getItem(key(view)) ?? '{}') as VisibilityState;
    } catch {
      return {};
    }
  });
  const update = (next: VisibilityState | ((v: VisibilityState) => VisibilityState)) =>
    setVisibility((v) => {
      const value = typeof next === 'function' ? next(v) : next;
      localStorage.setItem(key(view), JSON.stringify(value));
      return value;
    });
  return [visibility, update] as const;
}

export function ColumnChooser<T>({ table }: { table: Table<T> }) {
  const columns = table.getAllLeafColumns().filter((c) => c.id !== 'select');
  const hidden = columns.filter((c) => !c.getIsVisible()).length;
  return (
    <details className="column-chooser">
      <summary>Columns{hidden > 0 ? ` (${hidden} hidden)` : ''}</summary>
      <fieldset>
        <legend className="sr-only">Columns shown</legend>
        {columns.map((c) => (
          <label key={c.id} className="inline">
            <input
              type="checkbox"
              checked={c.getIsVisible()}
              onChange={c.getToggleVisibilityHandler()}
            />
            {typeof c.columnDef.header === 'string' ? c.columnDef.header : c.id}
          </label>
        ))}
      </fieldset>
    </details>
  );
}
