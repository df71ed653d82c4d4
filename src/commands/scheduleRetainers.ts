/**
 * R54: a schedule of retainers or advances. The total is divided into N parts by R4 (the
 * last part takes the residue, so the parts sum exactly to the total), one per period
 * start dated as in R43.
 */
import type { RetainerKind } from '../db/schema.js';
import { DomainError, type FieldError } from '../domain/errors.js';
import type { Frequency } from '../domain/vocabulary.js';
import { scheduleDates } from '../domain/schedule.js';
import { divide } from '../domain/split.js';
import { insertRetainers, type RetainerRow } from '../repositories/retainers.js';
import {
  auditCreated,
  checkRetainerTaxCode,
  newRetainer,
  refuse,
  retainerTarget,
} from './createRetainer.js';
import type { CommandContext } from './context.js';

export interface ScheduleRetainersInput {
  contractId: string;
  customerId: string;
  kind: RetainerKind;
  total: string;
  frequency: Frequency;
  startDate: string;
  endDate?: string;
  count?: number;
  description?: string;
  taxCodeId?: string;
}

export async function scheduleRetainers(
  ctx: CommandContext,
  input: ScheduleRetainersInput,
): Promise<RetainerRow[]> {
  const errors: FieldError[] = [];
  const target = await retainerTarget(ctx, { ...input, amount: input.total }, 'total', errors);
  let dates: string[] = [];
  try {
    dates = scheduleDates(input);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    errors.push(...(error.errors ?? []));
  }
  // Every retainer must carry at least one minor unit (amount > 0).
  if (target && dates.length > 0 && target.units < BigInt(dates.length)) {
    errors.push({
      field: 'total',
      message: `is too small to divide into ${dates.length} retainers`,
    });
  }
  await checkRetainerTaxCode(ctx, input.taxCodeId, errors);
  if (!target || errors.length > 0) refuse(errors);
  const parts = divide(target.units, dates.length);
  const rows = await insertRetainers(
    ctx.db,
    dates.map((date, i) => newRetainer(target, input, parts[i] as bigint, date)),
  );
  await auditCreated(ctx, 'scheduleRetainers', rows);
  return rows;
}
