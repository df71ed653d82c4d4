/**
 * Why an invoice run for a date takes nothing (R66): no T&M line has that run date and no
 * milestone or retainer is ready by then; or the lines that do have it have no ready item
 * on or before their cut-off. Asked of the API with the same filters a clerk would use,
 * and only of the contracts scheduled on the date (`runDate=`), the first of them at most:
 * at month end thousands of lines share a run date, and a few reasons say enough.
 */
import { get, type BacklogPage, type Page } from './api';
import { formatDate } from './dates';
import type { Contract } from './model';

/** Scheduled contracts looked into; a note counts the rest. */
const CONTRACTS_EXPLAINED = 20;

const anyReady = async (path: string, query: Record<string, string>) =>
  (
    await get<BacklogPage<unknown>>(path, {
      billingStatus: 'ReadyToInvoice',
      limit: 1,
      ...query,
    })
  ).items.length > 0;

export async function explainEmptyRun(runDate: string, contractIds?: string[]): Promise<string[]> {
  // A run of named contracts asks for those, by id; otherwise the ones scheduled that day.
  const page: Page<Contract> = contractIds
    ? {
        items: await Promise.all(
          contractIds.slice(0, CONTRACTS_EXPLAINED).map((id) => get<Contract>(`/contracts/${id}`)),
        ),
        nextCursor: contractIds.length > CONTRACTS_EXPLAINED ? 'more' : null,
      }
    : await get<Page<Contract>>('/contracts', { runDate, limit: CONTRACTS_EXPLAINED });
  const contracts = page.items;
  const scheduled = contracts.flatMap((c) =>
    c.lines.flatMap((l) =>
      l.invoiceSchedule
        .filter((s) => s.runDate === runDate)
        .map((s) => ({ contract: c, line: l, cutoff: s.cutoffDate })),
    ),
  );
  const reasons: string[] = [];
  if (scheduled.length === 0) {
    reasons.push(
      `No time-and-material line has a run date on ${formatDate(runDate)} in its invoice schedule.`,
    );
  }
  for (const s of scheduled) {
    const ready = await anyReady('/backlog/time-and-material', {
      contractLineId: s.line.id,
      dateTo: s.cutoff,
    });
    if (!ready) {
      reasons.push(
        `Line “${s.line.name}” (${s.contract.name}) is scheduled on ${formatDate(runDate)}, ` +
          `but has no item ready to invoice dated on or before its cut-off ${formatDate(s.cutoff)}.`,
      );
    }
  }
  const milestones = await anyReady('/backlog/fixed-price-milestones', { dateTo: runDate });
  const retainers = await anyReady('/backlog/retainers-and-advances', { dateTo: runDate });
  if (!milestones && !retainers) {
    reasons.push(
      `No milestone or retainer is ready to invoice on or before ${formatDate(runDate)}.`,
    );
  }
  if (reasons.length === 0) {
    reasons.push('Every ready item is already on an invoice (a run never bills an item twice).');
  }
  if (page.nextCursor) {
    reasons.push(
      `More contracts are scheduled on ${formatDate(runDate)}; the first ${page.items.length} are explained here.`,
    );
  }
  return reasons;
}
