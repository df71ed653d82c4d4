import { headerStatus } from '../../domain/milestones.js';
import type { MilestoneBacklogRow } from '../../repositories/backlog-milestones.js';
import type { MilestoneView } from '../../repositories/milestones.js';
import type { SplitBillingStatus } from '../../domain/vocabulary.js';
import { money } from './money.js';

/** A milestone with its splits; the header status is derived here, never stored (R42). */
export function presentMilestone({ milestone, splits, currency }: MilestoneView) {
  return {
    id: milestone.id,
    contractId: milestone.contract_id,
    contractLineId: milestone.contract_line_id,
    name: milestone.name,
    date: milestone.date,
    amount: money(milestone.amount, currency),
    currency,
    headerStatus: headerStatus(splits.map((s) => s.billing_status)),
    splits: splits.map((s) => ({
      id: s.id,
      lineCustomerId: s.line_customer_id,
      customerId: s.customer_id,
      amount: money(s.amount, currency),
      billingStatus: s.billing_status,
      ...(s.invoice_id ? { invoiceId: s.invoice_id } : {}),
    })),
  };
}

/** A split as the Fixed Price Milestones view shows it (spec §5). */
export function presentMilestoneBacklogRow(
  r: MilestoneBacklogRow,
  milestoneStatuses: readonly SplitBillingStatus[],
) {
  return {
    id: r.id,
    milestoneId: r.milestone_id,
    contractId: r.contract_id,
    contractLineId: r.contract_line_id,
    name: r.name,
    date: r.date,
    customerId: r.customer_id,
    amount: money(r.amount, r.currency),
    currency: r.currency,
    billingStatus: r.billing_status,
    headerStatus: headerStatus(milestoneStatuses),
    ...(r.invoice_id ? { invoiceId: r.invoice_id } : {}),
  };
}
