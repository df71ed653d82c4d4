/**
 * R70, R71: changing who issues and who receives invoices. Confirmed invoices are not
 * touched: they froze their parties (R76). A tax code named here must exist (422 naming the
 * field). Each change is an audit event naming the fields it changed.
 */
import { DomainError, invalid, notFound } from '../domain/errors.js';
import type { SellerProfile } from '../domain/parties.js';
import { recordAudit } from '../repositories/audit.js';
import { findCustomer, updateCustomer, type CustomerRecord } from '../repositories/customers.js';
import { findSellerProfile, saveSellerProfile } from '../repositories/seller-profile.js';
import { findTaxCode } from '../repositories/tax-codes.js';
import type { CustomerPatchInput, SellerProfileInput } from '../schemas/parties.js';
import type { CommandContext } from './context.js';

/** A tax code named by a profile, line or retainer must exist (R72). */
export async function assertTaxCodeExists(
  ctx: CommandContext,
  field: string,
  id: string | null | undefined,
): Promise<void> {
  if (id === null || id === undefined) return;
  if (!(await findTaxCode(ctx.db, id))) throw invalid(field, `tax code ${id} does not exist`);
}

const changedFields = (before: object | undefined, after: object): string[] =>
  Object.entries(after)
    .filter(
      ([k, v]) =>
        JSON.stringify((before as Record<string, unknown> | undefined)?.[k] ?? null) !==
        JSON.stringify(v ?? null),
    )
    .map(([k]) => k);

export async function putSellerProfile(
  ctx: CommandContext,
  input: SellerProfileInput,
): Promise<SellerProfile> {
  await assertTaxCodeExists(ctx, 'defaultTaxCodeId', input.defaultTaxCodeId);
  const before = await findSellerProfile(ctx.db);
  const saved = await saveSellerProfile(ctx.db, {
    legalName: input.legalName,
    address: {
      line1: input.address.line1,
      line2: input.address.line2 ?? null,
      city: input.address.city,
      postalCode: input.address.postalCode,
      countrySubdivision: input.address.countrySubdivision ?? null,
      country: input.address.country,
    },
    vatId: input.vatId ?? null,
    companyId: input.companyId ?? null,
    email: input.email ?? null,
    phone: input.phone ?? null,
    electronicAddress: input.electronicAddress ?? null,
    bank: input.bank
      ? {
          iban: input.bank.iban,
          bic: input.bank.bic ?? null,
          accountName: input.bank.accountName ?? null,
        }
      : null,
    paymentInstructions: input.paymentInstructions ?? null,
    defaultPaymentTermsDays: input.defaultPaymentTermsDays,
    defaultTaxCodeId: input.defaultTaxCodeId ?? null,
    invoiceFooter: input.invoiceFooter ?? null,
  });
  await recordAudit(ctx.db, [
    {
      actor: ctx.actor,
      action: 'updateSellerProfile',
      entityType: 'SellerProfile',
      entityId: '1',
      to: changedFields(before, saved).join(', ') || null,
    },
  ]);
  return saved;
}

export async function patchCustomer(
  ctx: CommandContext,
  customerId: string,
  input: CustomerPatchInput,
): Promise<CustomerRecord> {
  const before = await findCustomer(ctx.db, customerId, { forUpdate: true });
  if (!before) throw notFound('customer', customerId);
  await assertTaxCodeExists(ctx, 'taxCodeId', input.taxCodeId);
  const { name, address, ...rest } = input;
  const after = await updateCustomer(ctx.db, customerId, {
    ...rest,
    ...(name === undefined ? {} : { name }),
    ...(address === undefined
      ? {}
      : {
          address: address && {
            line1: address.line1,
            line2: address.line2 ?? null,
            city: address.city,
            postalCode: address.postalCode,
            countrySubdivision: address.countrySubdivision ?? null,
            country: address.country,
          },
        }),
  });
  if (!after) throw new DomainError('NOT_FOUND', `customer ${customerId} vanished`);
  const changed = changedFields(
    { name: before.name, ...before.profile },
    { name: after.name, ...after.profile },
  );
  if (changed.length > 0) {
    await recordAudit(ctx.db, [
      {
        actor: ctx.actor,
        action: 'updateCustomer',
        entityType: 'Customer',
        entityId: customerId,
        to: changed.join(', '),
      },
    ]);
  }
  return after;
}
