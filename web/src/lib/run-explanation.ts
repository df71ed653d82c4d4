/**
 * Why an invoice run for a date takes nothing (R66): no T&M line has that run date and no
 * milestone or retainer is ready by then; or the lines that do have it have no ready item
 * on or before their cut-off. Asked of the API with the same filters a clerk would use.
 */
import { get, getAll, type BacklogPage } from './api';
import { formatDate } from './dates';
import type { Contract } from './model';

const anyReady = async (path: string, query: Record<string, string>) =>
  (
    await get<BacklogPage<unknown>>(path, {
      billingStatus: 'ReadyToInvoice',
      limit: 1,
      ...query,
    })
  ).items.length > 0;

export async function explainEmptyRun(runDate: string, contractIds?: string[]): Promise<string[]> {
  const contracts = (await getAll<Contract>('/contracts')).filter(
    (c) => !contractIds || contractIds.includes(c.id),
  );
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
  return reasons;
}
