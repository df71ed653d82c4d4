/**
 * One backlog view as a grid: server-side filters, sort and cursor paging (more rows load as
 * the user scrolls), totals from the API for the whole filter, multi-select with a bulk
 * action bar. A bulk action answers per item: the rows that succeeded take their new status,
 * the ones that failed keep it and show the reason on their row.
 */
import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type Row,
  type RowSelectionState,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  ApiError,
  get,
  post,
  type BacklogPage,
  type BulkResult,
  type Query,
  type Totals,
} from '../lib/api';
import { sumDecimals } from '../lib/decimal';
import { BILLING_STATUSES, humanize, NTE_STATUSES, type Invoice } from '../lib/model';
import { useReference } from '../lib/reference';
import {
  ACTION_LABELS,
  type BacklogRow,
  type BacklogView,
  type BulkAction,
} from '../pages/backlog-views';
import { GatedButton } from './Gated';
import { Link } from './Link';
import { Money } from './Money';

const PAGE = 100;
const ROW_HEIGHT = 40;

interface Filters {
  contractId: string;
  customerId: string;
  billingStatus: string;
  nteStatus: string;
  dateFrom: string;
  dateTo: string;
}

const NO_FILTERS: Filters = {
  contractId: '',
  customerId: '',
  billingStatus: '',
  nteStatus: '',
  dateFrom: '',
  dateTo: '',
};

interface RowNote {
  kind: 'error' | 'skipped';
  text: string;
}

type LoadState = 'loading' | 'ready' | 'unavailable' | 'error';

function failureText(result: BulkResult, row: BacklogRow | undefined): string {
  if (result.code === 'NTE_FAILED') {
    return row?.nteFailedLevel
      ? `Not-to-exceed failed at ${humanize(row.nteFailedLevel)}`
      : (result.message ?? 'Not-to-exceed failed');
  }
  return result.message ?? result.code ?? 'failed';
}

/**
 * One rendered row. Memoised: scrolling re-renders the grid each time a row enters or leaves
 * the window, and the rows that stay (same data, selection, note and columns) are skipped.
 */
const GridRow = memo(function GridRow({
  row,
  index,
  selected,
  note,
  measure,
}: {
  row: Row<BacklogRow>;
  index: number;
  selected: boolean;
  note: RowNote | undefined;
  /** Only compared: new columns make new cells. */
  columns: ColumnDef<BacklogRow>[];
  measure: (element: Element | null) => void;
}) {
  return (
    <tr
      ref={measure}
      data-index={index}
      data-row-id={row.id}
      className={[selected ? 'selected' : '', note ? `has-${note.kind}` : ''].join(' ')}
    >
      {row.getVisibleCells().map((cell) => {
        const meta = cell.column.columnDef.meta as { align?: string } | undefined;
        return (
          <td key={cell.id} className={meta?.align === 'right' ? 'right' : undefined}>
            {flexRender(cell.column.columnDef.cell, cell.getContext())}
            {cell.column.id === 'billingStatus' && note && (
              <div
                className={`row-note ${note.kind}`}
                role={note.kind === 'error' ? 'alert' : undefined}
              >
                {note.text}
              </div>
            )}
          </td>
        );
      })}
    </tr>
  );
});

export function BacklogGrid({ view }: { view: BacklogView }) {
  const ref = useReference();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [sort, setSort] = useState<string>('date');
  const [rows, setRows] = useState<BacklogRow[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [totals, setTotals] = useState<Totals | undefined>();
  const [state, setState] = useState<LoadState>('loading');
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [notes, setNotes] = useState<Record<string, RowNote>>({});
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<React.ReactNode>(null);
  const generation = useRef(0);

  const query = useMemo<Query>(
    () => ({
      contractId: filters.contractId,
      customerId: filters.customerId,
      billingStatus: filters.billingStatus,
      nteStatus: view.nteFilter ? filters.nteStatus : undefined,
      dateFrom: filters.dateFrom,
      dateTo: filters.dateTo,
      sort: view.sortable ? sort : undefined,
    }),
    [filters, sort, view.nteFilter, view.sortable],
  );

  const load = useCallback(async () => {
    const gen = ++generation.current;
    setState('loading');
    setError(null);
    try {
      const page = await get<BacklogPage<BacklogRow>>(view.path, { ...query, limit: PAGE });
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
        const fields = e instanceof ApiError ? e.errors.map((f) => `${f.field}: ${f.message}`) : [];
        setError([e instanceof Error ? e.message : String(e), ...fields].join('; '));
      }
    }
  }, [view.path, query]);

  useEffect(() => {
    setSelection({});
    setNotes({});
    setMessage(null);
    void load();
  }, [load]);

  const loadMore = useCallback(async () => {
    if (!cursor || loadingMore) return;
    const gen = generation.current;
    setLoadingMore(true);
    try {
      const page = await get<BacklogPage<BacklogRow>>(view.path, { ...query, limit: PAGE, cursor });
      if (gen !== generation.current) return;
      setRows((prev) => [...prev, ...page.items]);
      setCursor(page.nextCursor);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setLoadingMore(false);
    }
  }, [cursor, loadingMore, view.path, query]);

  /** Totals for the whole filter, after an action changed statuses. */
  const refreshTotals = useCallback(async () => {
    try {
      const page = await get<BacklogPage<BacklogRow>>(view.path, { ...query, limit: 1 });
      setTotals(page.totals);
    } catch {
      // The grid keeps its last totals; the next load refreshes them.
    }
  }, [view.path, query]);

  const selectable = view.actions.length > 0;
  const columns = useMemo<ColumnDef<BacklogRow>[]>(() => {
    const cols: ColumnDef<BacklogRow>[] = view.columns.map((c) => ({
      id: c.id,
      header: c.header,
      meta: c,
      cell: ({ row }) => c.cell(row.original, ref),
    }));
    if (!selectable) return cols;
    return [
      {
        id: 'select',
        header: ({ table }) => (
          <input
            type="checkbox"
            aria-label="Select all loaded rows"
            checked={table.getIsAllRowsSelected()}
            ref={(el) => {
              if (el) el.indeterminate = table.getIsSomeRowsSelected();
            }}
            onChange={table.getToggleAllRowsSelectedHandler()}
          />
        ),
        cell: ({ row }) => (
          <input
            type="checkbox"
            aria-label={`Select row ${row.id}`}
            checked={row.getIsSelected()}
            onChange={row.getToggleSelectedHandler()}
          />
        ),
      },
      ...cols,
    ];
  }, [view.columns, ref, selectable]);

  const table = useReactTable({
    data: rows,
    columns,
    getRowId: (r) => r.id,
    state: { rowSelection: selection },
    enableRowSelection: selectable,
    onRowSelectionChange: setSelection,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
  });

  const scrollRef = useRef<HTMLDivElement>(null);
  const tableRows = table.getRowModel().rows;
  const virtualizer = useVirtualizer({
    count: tableRows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const virtualRows = virtualizer.getVirtualItems();
  const lastIndex = virtualRows.at(-1)?.index ?? 0;
  useEffect(() => {
    if (cursor && lastIndex >= tableRows.length - 20) void loadMore();
  }, [lastIndex, tableRows.length, cursor, loadMore]);

  const selectedRows = rows.filter((r) => selection[r.id]);
  const selectedIds = selectedRows.map((r) => r.id);

  const runAction = async (action: BulkAction) => {
    if (selectedIds.length === 0) return;
    setBusy(true);
    setMessage(null);
    try {
      if (action === 'create-invoice') await createInvoices();
      else await bulk(action);
    } catch (e) {
      setMessage(<span className="error">{e instanceof Error ? e.message : String(e)}</span>);
    } finally {
      setBusy(false);
    }
  };

  const bulk = async (action: Exclude<BulkAction, 'create-invoice'>) => {
    const { results } = await post<{ results: BulkResult[] }>(`${view.path}/${action}`, {
      ids: selectedIds,
    });
    const byId = new Map(rows.map((r) => [r.id, r]));
    const field =
      action === 'reset-nte' || action === 'reevaluate-nte' ? 'nteStatus' : 'billingStatus';
    const updated = new Map<string, string>();
    const nextNotes: Record<string, RowNote> = { ...notes };
    const keepSelected: RowSelectionState = {};
    let ok = 0;
    let failed = 0;
    let skipped = 0;
    for (const r of results) {
      if (r.ok && r.skipped) {
        skipped++;
        nextNotes[r.id] = {
          kind: 'skipped',
          text: r.message ?? 'Skipped: not affected by this action',
        };
      } else if (r.ok) {
        ok++;
        delete nextNotes[r.id];
        if (r.status) updated.set(r.id, r.status);
      } else {
        failed++;
        nextNotes[r.id] = { kind: 'error', text: failureText(r, byId.get(r.id)) };
        keepSelected[r.id] = true;
      }
    }
    setRows((prev) =>
      prev.map((row) => (updated.has(row.id) ? { ...row, [field]: updated.get(row.id) } : row)),
    );
    setNotes(nextNotes);
    setSelection(keepSelected);
    setMessage(
      <span>
        {ACTION_LABELS[action]}: {ok} updated
        {skipped > 0 ? `, ${skipped} skipped` : ''}
        {failed > 0 ? `, ${failed} failed (reason on each row)` : ''}.
      </span>,
    );
    await refreshTotals();
  };

  /** One request per contract: an invoice belongs to one contract (R60). */
  const createInvoices = async () => {
    const byContract = new Map<string, string[]>();
    for (const r of selectedRows) {
      if (!r.contractId) continue;
      byContract.set(r.contractId, [...(byContract.get(r.contractId) ?? []), r.id]);
    }
    const created: Invoice[] = [];
    for (const [contractId, itemIds] of byContract) {
      const res = await post<{ invoices: Invoice[] }>('/invoices', { contractId, itemIds });
      created.push(...res.invoices);
    }
    setSelection({});
    await load();
    setMessage(
      created.length === 0 ? (
        <span>No invoice created: only items that are Ready to invoice go on an invoice.</span>
      ) : (
        <span>
          Created {created.length} draft invoice{created.length === 1 ? '' : 's'}:{' '}
          {created.map((inv, i) => (
            <span key={inv.id}>
              {i > 0 ? ', ' : ''}
              <Link href={`/invoices/${inv.id}`}>
                {ref.customerName(inv.customerId)} (
                <Money value={inv.total} currency={inv.currency} />)
              </Link>
            </span>
          ))}
        </span>
      ),
    );
  };

  const setFilter =
    (key: keyof Filters) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
      setFilters((f) => ({ ...f, [key]: e.target.value }));

  const toggleSort = (key: string) => setSort((s) => (s === key ? `-${key}` : key));

  if (state === 'unavailable') {
    return (
      <p className="unavailable" role="status">
        {view.title}: not available yet.
      </p>
    );
  }

  const paddingTop = virtualRows[0]?.start ?? 0;
  const paddingBottom = virtualizer.getTotalSize() - (virtualRows.at(-1)?.end ?? 0);
  const selectionSum =
    selectedRows.length > 0 && selectedRows.every((r) => r.amount !== undefined)
      ? sumDecimals(selectedRows.map((r) => r.amount as string))
      : null;
  const selectionCurrencies = new Set(
    selectedRows.map((r) => r.currency ?? ref.currencyOf(r.contractId ?? '')),
  );

  return (
    <section className="grid-view" aria-label={view.title}>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
        <label>
          Contract
          <select name="contractId" value={filters.contractId} onChange={setFilter('contractId')}>
            <option value="">All contracts</option>
            {ref.contracts.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Customer
          <select name="customerId" value={filters.customerId} onChange={setFilter('customerId')}>
            <option value="">All customers</option>
            {ref.customers.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        {view.actions.length > 0 && (
          <label>
            Status
            <select
              name="billingStatus"
              value={filters.billingStatus}
              onChange={setFilter('billingStatus')}
            >
              <option value="">Open items</option>
              {BILLING_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {humanize(s)}
                </option>
              ))}
            </select>
          </label>
        )}
        {view.nteFilter && (
          <label>
            NTE status
            <select name="nteStatus" value={filters.nteStatus} onChange={setFilter('nteStatus')}>
              <option value="">Any</option>
              {NTE_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {humanize(s)}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          From
          <input
            type="date"
            name="dateFrom"
            value={filters.dateFrom}
            onChange={setFilter('dateFrom')}
          />
        </label>
        <label>
          To
          <input type="date" name="dateTo" value={filters.dateTo} onChange={setFilter('dateTo')} />
        </label>
        <button type="button" className="secondary" onClick={() => setFilters(NO_FILTERS)}>
          Clear filters
        </button>
      </form>

      <div className="totals" aria-live="polite" data-testid="totals">
        {totals ? (
          <>
            <span>
              <strong data-testid="totals-count">{totals.count}</strong> item
              {totals.count === 1 ? '' : 's'}
            </span>
            {totals.byCurrency.map((c) => (
              <span key={c.currency} data-testid={`totals-${c.currency}`}>
                <Money value={c.amount} currency={c.currency} /> ({c.count})
              </span>
            ))}
          </>
        ) : (
          <span>{rows.length} loaded</span>
        )}
      </div>

      {selectable && selectedIds.length > 0 && (
        <div className="bulk-bar" role="toolbar" aria-label="Bulk actions">
          <span>
            <strong>{selectedIds.length}</strong> selected
            {selectionSum && selectionCurrencies.size === 1 && (
              <>
                {' · '}
                <Money value={selectionSum} currency={[...selectionCurrencies][0]} />
              </>
            )}
          </span>
          {view.actions.map((a) => (
            <GatedButton key={a} need="bill" disabled={busy} onClick={() => void runAction(a)}>
              {ACTION_LABELS[a]}
            </GatedButton>
          ))}
          <button type="button" className="secondary" onClick={() => setSelection({})}>
            Clear selection
          </button>
        </div>
      )}
      {message && (
        <p className="message" role="status">
          {message}
        </p>
      )}
      {state === 'error' && (
        <p className="error" role="alert">
          {error}
        </p>
      )}

      {/* Focusable, so the keyboard scrolls it (arrows, Page Up/Down, Home/End). */}
      <div
        className="grid-scroll"
        ref={scrollRef}
        tabIndex={0}
        role="region"
        aria-label={`${view.title} rows`}
        data-testid="grid-scroll"
      >
        <table className="grid" aria-rowcount={totals?.count ?? rows.length}>
          <thead>
            {table.getHeaderGroups().map((hg) => (
              <tr key={hg.id}>
                {hg.headers.map((h) => {
                  const meta = h.column.columnDef.meta as
                    { sortKey?: string; align?: string } | undefined;
                  const sortKey = view.sortable ? meta?.sortKey : undefined;
                  const direction =
                    sortKey && sort === sortKey
                      ? 'ascending'
                      : sortKey && sort === `-${sortKey}`
                        ? 'descending'
                        : undefined;
                  return (
                    <th
                      key={h.id}
                      className={meta?.align === 'right' ? 'right' : undefined}
                      aria-sort={direction ?? (sortKey ? 'none' : undefined)}
                    >
                      {sortKey ? (
                        <button type="button" className="sort" onClick={() => toggleSort(sortKey)}>
                          {flexRender(h.column.columnDef.header, h.getContext())}
                          <span aria-hidden="true">
                            {direction === 'ascending'
                              ? ' ▲'
                              : direction === 'descending'
                                ? ' ▼'
                                : ' ↕'}
                          </span>
                        </button>
                      ) : (
                        flexRender(h.column.columnDef.header, h.getContext())
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {paddingTop > 0 && (
              <tr aria-hidden="true">
                <td style={{ height: paddingTop }} colSpan={columns.length} />
              </tr>
            )}
            {virtualRows.map((v) => {
              const row = tableRows[v.index];
              if (!row) return null;
              return (
                <GridRow
                  key={row.id}
                  row={row}
                  index={v.index}
                  selected={row.getIsSelected()}
                  note={notes[row.id]}
                  columns={columns}
                  measure={virtualizer.measureElement}
                />
              );
            })}
            {paddingBottom > 0 && (
              <tr aria-hidden="true">
                <td style={{ height: paddingBottom }} colSpan={columns.length} />
              </tr>
            )}
          </tbody>
        </table>
        {state === 'ready' && rows.length === 0 && (
          <p className="empty">Nothing in this view for these filters.</p>
        )}
        {state === 'loading' && <p className="empty">Loading…</p>}
      </div>
      {cursor && (
        <button
          type="button"
          className="secondary load-more"
          disabled={loadingMore}
          onClick={() => void loadMore()}
        >
          {loadingMore ? 'Loading…' : `Load more (${rows.length} of ${totals?.count ?? '?'})`}
        </button>
      )}
    </section>
  );
}
