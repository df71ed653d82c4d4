/** Customers and their billing profiles (R71). */
import type { Kysely, Selectable } from 'kysely';
import type { CustomersTable, DB } from '../db/schema.js';
import type { CustomerBillingProfile } from '../domain/parties.js';
import { isId } from '../domain/ids.js';
import { decodeCursor, toPage, type Page } from './pagination.js';

export interface CustomerView {
  id: string;
  name: string;
}

/** A customer with its billing profile. */
export interface CustomerRecord extends CustomerView {
  profile: CustomerBillingProfile;
}

type CustomerRow = Selectable<CustomersTable>;

const PROFILE_COLUMNS = [
  'id',
  'name',
  'legal_name',
  'address',
  'vat_id',
  'company_id',
  'invoice_email',
  'buyer_reference',
  'payment_terms_days',
  'tax_code_id',
  'electronic_address',
] as const;

const toRecord = (r: Omit<CustomerRow, 'created_at'>): CustomerRecord => ({
  id: r.id,
  name: r.name,
  profile: {
    legalName: r.legal_name,
    address: r.address,
    vatId: r.vat_id,
    companyId: r.company_id,
    invoiceEmail: r.invoice_email,
    buyerReference: r.buyer_reference,
    paymentTermsDays: r.payment_terms_days,
    taxCodeId: r.tax_code_id,
    electronicAddress: r.electronic_address,
  },
});

export async function insertCustomer(db: Kysely<DB>, name: string): Promise<CustomerRecord> {
  const row = await db
    .insertInto('customers')
    .values({ name })
    .returning(PROFILE_COLUMNS)
    .executeTakeFirstOrThrow();
  return toRecord(row);
}

export async function findCustomer(
  db: Kysely<DB>,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<CustomerRecord | undefined> {
  if (!isId(id)) return undefined;
  let query = db.selectFrom('customers').select(PROFILE_COLUMNS).where('id', '=', id);
  if (opts.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

export async function existingCustomerIds(db: Kysely<DB>, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('customers').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

export async function listCustomers(
  db: Kysely<DB>,
  q: { limit: number; cursor?: string },
): Promise<Page<CustomerRecord>> {
  const after = decodeCursor(q.cursor, ['id']);
  let query = db
    .selectFrom('customers')
    .select(PROFILE_COLUMNS)
    .orderBy('id')
    .limit(q.limit + 1);
  if (after?.[0]) query = query.where('id', '>', after[0]);
  return toPage(await query.execute(), q.limit, toRecord, (r) => [r.id]);
}

const json = (v: unknown) => (v === null ? null : JSON.stringify(v));

/** R71: sets the given fields of the profile (and the name); others stay as they are. */
export async function updateCustomer(
  db: Kysely<DB>,
  id: string,
  changes: Partial<CustomerBillingProfile> & { name?: string },
): Promise<CustomerRecord> {
  const set: Record<string, unknown> = {};
  const put = (column: string, value: unknown) => {
    if (value !== undefined) set[column] = value;
  };
  put('name', changes.name);
  put('legal_name', changes.legalName);
  put('address', changes.address === undefined ? undefined : json(changes.address));
  put('vat_id', changes.vatId);
  put('company_id', changes.companyId);
  put('invoice_email', changes.invoiceEmail);
  put('buyer_reference', changes.buyerReference);
  put('payment_terms_days', changes.paymentTermsDays);
  put('tax_code_id', changes.taxCodeId);
  put(
    'electronic_address',
    changes.electronicAddress === undefined ? undefined : json(changes.electronicAddress),
  );
  if (Object.keys(set).length > 0) {
    await db.updateTable('customers').set(set).where('id', '=', id).execute();
  }
  return (await findCustomer(db, id)) as CustomerRecord;
}
