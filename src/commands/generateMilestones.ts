/**
 * Periodic milestones (R43): one per period start from the start to the end date (both
 * inclusive), the line's contracted amount divided over them by R4, within R44.
 */
import { DomainError } from '../domain/errors.js';
import { MAX_GENERATED, periodStarts, planSchedule } from '../domain/milestones.js';
import type { Frequency } from '../domain/vocabulary.js';
import { formatDecimal } from '../domain/money.js';
import { sumOfLineMilestones, type MilestoneView } from '../repositories/milestones.js';
import type { CommandContext } from './context.js';
import { addMilestones, checkContracted, lockFixedPriceLine } from './createMilestone.js';

export interface GenerateMilestonesInput {
  contractLineId: string;
  startDate: string;
  endDate: string;
  frequency: Frequency;
}

const LABEL: Record<Frequency, string> = {
  weekly: 'Weekly',
  monthly: 'Monthly',
  quarterly: 'Quarterly',
};

const refuse = (field: string, message: string): never => {
  throw new DomainError('VALIDATION_FAILED', `${field} ${message}`, [{ field, message }]);
};

export async function generateMilestones(
  ctx: CommandContext,
  input: GenerateMilestonesInput,
): Promise<MilestoneView[]> {
  if (input.endDate < input.startDate) refuse('endDate', 'must be on or after startDate');
  const line = await lockFixedPriceLine(ctx, input.contractLineId);
  const dates = periodStarts(input.startDate, input.endDate, input.frequency);
  if (dates.length > MAX_GENERATED) {
    refuse(
      'endDate',
      `gives more than ${MAX_GENERATED} ${input.frequency} milestones; choose a shorter range`,
    );
  }
  const plan = planSchedule(dates, line.contracted);
  // R4 gives equal parts; a contracted amount smaller than the number of periods would
  // leave milestones of 0, which have nothing to bill.
  if (plan.some((p) => p.amount <= 0n)) {
    refuse(
      'frequency',
      `divides the contracted amount ${formatDecimal(line.contracted, line.exponent)} into ${plan.length} ` +
        'parts, some of them zero; choose fewer periods',
    );
  }
  // R44, read under the contract lock.
  const others = await sumOfLineMilestones(ctx.db, line.contract.id, line.record.line.id);
  checkContracted(
    line,
    others,
    plan.map((p) => p.amount),
    'contractedAmount',
  );
  return addMilestones(
    ctx,
    line,
    plan.map((p, i) => ({
      ...p,
      name: `${LABEL[input.frequency]} milestone ${i + 1} of ${plan.length}`,
    })),
    'generateMilestones',
  );
}
