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
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { get, post, type BulkResult, type Query } from '../lib/api';
import { sumDecimals } from '../lib/decimal';
import type { Contract, Invoice } from '../lib/model';
import { codeSentence, nteSentence, usageAt } from '../lib/problems';
import {
  ACTION_LABELS,
  type BacklogRow,
  type BacklogView,
  type BulkAction,
} from '../pages/backlog-views';
import { BacklogFilters, NO_FILTERS, type Filters } from './backlog/BacklogFilters';
import { BulkActionBar } from './backlog/BulkActionBar';
import { ColumnChooser, useColumnVisibility } from './backlog/ColumnChooser';
import { useBacklogData } from './backlog/useBacklogData';
import { BulkOutcome } from './BulkOutcome';
import { Link } from './Link';
import { Money } from './Money';

const ROW_HEIGHT = 40;

interface RowNote {
  kind: 'error' | 'skipped';
  text: string;
}

function failureText(
  result: BulkResult,
  row: BacklogRow | undefined,
  contracts: ReadonlyMap<string, Contract>,
): string {
  if (result.code === 'NTE_FAILED') {
    if (!row?.nteFailedLevel) return codeSentence(result.code, result.message);
    const contract = row.contractId ? contracts.get(row.contractId) : undefined;
    return nteSentence(
      row.nteFailedLevel,
      usageAt(contract, row, row.nteFailedLevel),
      contract?.currency,
    );
  }
  return codeSentence(result.code, result.message);
}

/**
 * The contracts (with their NTE usage, fresh after the action) of the rows an NTE check
 * failed, so each row can say how much is left at the failing level. Only those contracts
 * are asked for, one by id; without one the row still says where it failed.
 */
async function usageOfFailedContracts(
  results: readonly BulkResult[],
  rows: ReadonlyMap<string, BacklogRow>,
): Promise<Map<string, Contract>> {
  const ids = new Set<string>();
  for (const r of results) {
    const contractId = rows.get(r.id)?.contractId;
    if (!r.ok && r.code === 'NTE_FAILED' && contractId) ids.add(contractId);
  }
  const contracts = new Map<string, Contract>();
  await Promise.all(
    [...ids].map(async (id) => {
      try {
        contracts.set(id, await get<Contract>(`/contracts/${id}`));
      } catch {
        // The row keeps the level it failed at, without the amounts.
      }
    }),
  );
  return contracts;
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
  /** Only compared: hiding a column re-renders the row. */
  hidden: string;
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
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [sort, setSort] = useState<string>('date');
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [columnVisibility, setColumnVisibility] = useColumnVisibility(view.key);
  const [notes, setNotes] = useState<Record<string, RowNote>>({});
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<React.ReactNode>(null);

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

  const {
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
  } = useBacklogData(view.path, query);

  useEffect(() => {
    setSelection({});
    setNotes({});
    setMessage(null);
    void load();
  }, [load]);

  const selectable = view.actions.length > 0;
  const columns = useMemo<ColumnDef<BacklogRow>[]>(() => {
    const cols: ColumnDef<BacklogRow>[] = view.columns.map((c) => ({
      id: c.id,
      header: c.header,
      meta: c,
      cell: ({ row }) => c.cell(row.original),
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
  }, [view.columns, selectable]);

  const table = useReactTable({
    data: rows,
    columns,
    getRowId: (r) => r.id,
    state: { rowSelection: selection, columnVisibility },
    enableRowSelection: selectable,
    onRowSelectionChange: setSelection,
    onColumnVisibilityChange: setColumnVisibility,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
  });

  const hiddenKey = JSON.stringify(columnVisibility);
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
    const nteContracts = await usageOfFailedContracts(results, byId);
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
        nextNotes[r.id] = { kind: 'error', text: failureText(r, byId.get(r.id), nteContracts) };
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
                {inv.customerName ?? `#${inv.customerId}`} (
                <Money value={inv.total} currency={inv.currency} />)
              </Link>
            </span>
          ))}
        </span>
      ),
    );
  };

  /** R69: items added to an existing draft; each item answered on its own. */
  const afterAdd = async (invoice: Invoice, results: BulkResult[]) => {
    setSelection({});
    await load();
    setMessage(
      <span>
        <BulkOutcome verb="Added" results={results} live={false} /> To{' '}
        <Link href={`/invoices/${invoice.id}`}>draft #{invoice.id}</Link>, now{' '}
        <Money value={invoice.total} currency={invoice.currency} />.
      </span>,
    );
  };

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
  const selectionCurrencies = new Set(selectedRows.map((r) => r.currency));

  return (
    <section className="grid-view" aria-label={view.title}>
      <BacklogFilters view={view} filters={filters} onChange={setFilters} />
      <ColumnChooser table={table} />

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
        <BulkActionBar
          count={selectedIds.length}
          sum={selectionSum}
          currencies={selectionCurrencies}
          actions={view.actions}
          busy={busy}
          onAction={(a) => void runAction(a)}
          onClear={() => setSelection({})}
          addToDraft={
            view.actions.includes('create-invoice')
              ? { rows: selectedRows, onDone: afterAdd }
              : undefined
          }
        />
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
                  hidden={hiddenKey}
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
