/**
 * R52/R53: the user changes what a retainer gives a draft invoice. Lowering is always
 * allowed; raising only up to what the retainer can still give (amount − used − reserved by
 * other drafts, RETAINER_OVER_AVAILABLE) and never past the invoice's chargeable T&M and
 * milestone total (the invoice never goes negative). 0 removes the application.
 */
import { DomainError, invalid, invalidTransition, notFound } from '../domain/errors.js';
import { isId } from '../domain/ids.js';
import { currencyExponent, formatDecimal, parseDecimal } from '../domain/money.js';
import { recordAudit } from '../repositories/audit.js';
import {
  applicationsOfInvoices,
  chargeableWorkTotal,
  setApplication,
} from '../repositories/invoice-retainers.js';
import type { InvoiceRow } from '../repositories/invoices.js';
import { lockRetainers } from '../repositories/retainers.js';
import type { CommandContext } from './context.js';
import { drawableAmounts, taxGroupsOfDraft } from './invoiceRetainers.js';
import { retainerApplicationCap } from '../domain/tax-totals.js';
import { lockDraft } from './lockInvoice.js';

export interface ChangeRetainerApplicationInput {
  invoiceId: string;
  retainerId: string;
  amount: string;
}

export async function changeRetainerApplication(
  ctx: CommandContext,
  input: ChangeRetainerApplicationInput,
): Promise<InvoiceRow> {
  // Lock order: contract, invoice, then the retainer row (R53: a concurrent change waits).
  const { invoice } = await lockDraft(ctx, input.invoiceId);
  const [retainer] = isId(input.retainerId)
    ? await lockRetainers(ctx.db, [input.retainerId], invoice.contract_id)
    : [];
  if (!retainer || retainer.customer_id !== invoice.customer_id) {
    throw notFound(`retainer of invoice ${invoice.id}'s customer`, input.retainerId);
  }
  if (invoice.corrects_invoice_id) {
    throw invalidTransition(
      `invoice ${invoice.id} is a correction; retainers are not applied to corrections`,
    );
  }
  const exponent = currencyExponent(invoice.currency);
  const fmt = (v: bigint) => formatDecimal(v, exponent);
  const amount = parseDecimal(input.amount, exponent, 13);
  if (amount === null || amount < 0n) {
    throw invalid(
      'amount',
      `must be an amount of at most ${exponent} decimals in ${invoice.currency}, 0 or more`,
    );
  }

  const applied = await applicationsOfInvoices(ctx.db, [invoice]);
  const current = BigInt(applied.find((a) => a.retainer_id === retainer.id)?.amount ?? '0');
  if (amount === current) return invoice;
  if (amount > current) {
    const drawable = (await drawableAmounts(ctx, [retainer], invoice.id)).get(retainer.id) ?? 0n;
    if (amount > drawable) {
      throw new DomainError(
        'RETAINER_OVER_AVAILABLE',
        `retainer ${retainer.id} can give at most ${fmt(drawable)} to this invoice (asked ${fmt(amount)})`,
        [{ field: 'amount', message: `must be at most ${fmt(drawable)}` }],
      );
    }
    const others = applied.filter((a) => a.retainer_id !== retainer.id);
    const room =
      (await chargeableWorkTotal(ctx.db, invoice.contract_id, invoice.id)) -
      others.reduce((s, a) => s + BigInt(a.amount), 0n);
    // R74: and never past its own tax group's chargeable amount.
    const { work, groups } = await taxGroupsOfDraft(ctx, invoice, [
      retainer.id,
      ...others.map((a) => a.retainer_id),
    ]);
    const groupRoom = retainerApplicationCap(
      work,
      others.map((a) => ({
        amount: BigInt(a.amount),
        taxGroup: groups.get(a.retainer_id) ?? null,
      })),
      groups.get(retainer.id) ?? null,
    );
    if (amount > groupRoom && groupRoom < room) {
      throw new DomainError(
        'RETAINER_OVER_AVAILABLE',
        `retainer ${retainer.id} was billed in a tax group whose chargeable work on invoice ${invoice.id} carries at most ${fmt(groupRoom)}`,
        [{ field: 'amount', message: `must be at most ${fmt(groupRoom)}` }],
      );
    }
    if (amount > room) {
      throw new DomainError(
        'RETAINER_OVER_AVAILABLE',
        `applying ${fmt(amount)} would make invoice ${invoice.id} negative; at most ${fmt(room > 0n ? room : 0n)} can be applied`,
        [{ field: 'amount', message: `must be at most ${fmt(room > 0n ? room : 0n)}` }],
      );
    }
  }
  await setApplication(ctx.db, {
    contractId: invoice.contract_id,
    invoiceId: invoice.id,
    retainerId: retainer.id,
    amount,
  });
  await recordAudit(ctx.db, [
    {
      actor: ctx.actor,
      action: 'changeRetainerApplication',
      entityType: 'Retainer',
      entityId: retainer.id,
      contractId: invoice.contract_id,
      from: `${fmt(current)} on invoice ${invoice.id}`,
      to: `${fmt(amount)} on invoice ${invoice.id}`,
    },
  ]);
  return invoice;
}
