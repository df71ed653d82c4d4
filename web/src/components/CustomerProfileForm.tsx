/**
 * R71: a customer's billing profile, flat fields of the customer. `PATCH` sends only what
 * changed; a field emptied is sent as null (removed).
 */
import { useState, type FormEvent } from 'react';
import { patch } from '../lib/api';
import { text, type CustomerProfile, type TaxCode } from '../lib/invoicing';
import {
  AddressFields,
  addressBody,
  addressDraft,
  addressFields,
  isBlankAddress,
  type AddressDraft,
} from './AddressFields';
import { FieldMessage, FormProblem, ProblemSummary } from './FormErrors';
import { TaxCodeOptions } from './TaxCodeOptions';

interface Draft {
  name: string;
  legalName: string;
  vatId: string;
  companyId: string;
  invoiceEmail: string;
  buyerReference: string;
  paymentTermsDays: string;
  taxCodeId: string;
  eScheme: string;
  eValue: string;
}

const draftOf = (c: CustomerProfile): Draft => ({
  name: c.name,
  legalName: text(c.legalName),
  vatId: text(c.vatId),
  companyId: text(c.companyId),
  invoiceEmail: text(c.invoiceEmail),
  buyerReference: text(c.buyerReference),
  paymentTermsDays: text(c.paymentTermsDays),
  taxCodeId: text(c.taxCodeId),
  eScheme: text(c.electronicAddress?.scheme),
  eValue: text(c.electronicAddress?.value),
});

const TEXT_FIELDS: [keyof Draft, string][] = [
  ['name', 'Name'],
  ['legalName', 'Legal name'],
  ['vatId', 'VAT ID'],
  ['companyId', 'Company ID'],
  ['invoiceEmail', 'Invoice e-mail'],
  ['buyerReference', 'Buyer reference'],
  ['paymentTermsDays', 'Payment terms (days)'],
];

/** The PATCH body: the fields that changed, emptied ones as null. */
function changes(before: Draft, after: Draft, address: AddressDraft, addressBefore: AddressDraft) {
  const body: Record<string, unknown> = {};
  for (const [key] of TEXT_FIELDS) {
    if (after[key] === before[key]) continue;
    const v = after[key].trim();
    body[key] =
      key === 'paymentTermsDays' ? (v === '' ? null : /^\d+$/.test(v) ? Number(v) : v) : v || null;
  }
  if (after.taxCodeId !== before.taxCodeId) body.taxCodeId = after.taxCodeId || null;
  if (after.eScheme !== before.eScheme || after.eValue !== before.eValue) {
    body.electronicAddress =
      after.eScheme.trim() || after.eValue.trim()
        ? { scheme: after.eScheme.trim(), value: after.eValue.trim() }
        : null;
  }
  if (JSON.stringify(address) !== JSON.stringify(addressBefore)) {
    body.address = isBlankAddress(address) ? null : addressBody(address);
  }
  return body;
}

export function CustomerProfileForm({
  customer,
  taxCodes,
  onSaved,
}: {
  customer: CustomerProfile;
  taxCodes: TaxCode[];
  onSaved: (c: CustomerProfile) => void;
}) {
  const [draft, setDraft] = useState<Draft>(draftOf(customer));
  const [address, setAddress] = useState<AddressDraft>(addressDraft(customer.address));
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [saved, setSaved] = useState(false);
  const set = (key: keyof Draft, value: string) => {
    setSaved(false);
    setDraft((d) => ({ ...d, [key]: value }));
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    try {
      const body = changes(draftOf(customer), draft, address, addressDraft(customer.address));
      const updated = await patch<CustomerProfile>(`/customers/${customer.id}`, body);
      setSaved(true);
      onSaved(updated);
    } catch (err) {
      setProblem(FormProblem.from(err));
    }
  };
  const fields = [
    ...TEXT_FIELDS.map(([k]) => k),
    'taxCodeId',
    'electronicAddress',
    'electronicAddress.scheme',
    'electronicAddress.value',
    ...addressFields('address'),
  ];
  return (
    <form className="card" onSubmit={submit} aria-labelledby="customer-profile">
      <h2 id="customer-profile">Billing profile</h2>
      <ProblemSummary problem={problem} fields={fields} />
      <div className="row">
        {TEXT_FIELDS.map(([key, label]) => (
          <label key={key}>
            {label}
            <input name={key} value={draft[key]} onChange={(e) => set(key, e.target.value)} />
            <FieldMessage problem={problem} field={key} />
          </label>
        ))}
        <label>
          Tax code override
          <select
            name="taxCodeId"
            value={draft.taxCodeId}
            onChange={(e) => set('taxCodeId', e.target.value)}
          >
            <TaxCodeOptions taxCodes={taxCodes} none="None (the line’s or the seller’s default)" />
          </select>
          <FieldMessage problem={problem} field="taxCodeId" />
        </label>
      </div>
      <AddressFields
        prefix="address"
        legend="Address"
        value={address}
        onChange={(a) => (setSaved(false), setAddress(a))}
        problem={problem}
      />
      <fieldset>
        <legend>Electronic address (e-invoicing)</legend>
        <div className="row">
          <label>
            Scheme (EAS)
            <input
              name="electronicAddress.scheme"
              size={6}
              value={draft.eScheme}
              onChange={(e) => set('eScheme', e.target.value)}
            />
            <FieldMessage problem={problem} field="electronicAddress.scheme" />
          </label>
          <label>
            Electronic address
            <input
              name="electronicAddress.value"
              value={draft.eValue}
              onChange={(e) => set('eValue', e.target.value)}
            />
            <FieldMessage problem={problem} field="electronicAddress.value" />
          </label>
        </div>
      </fieldset>
      <button type="submit">Save billing profile</button>{' '}
      {saved && (
        <span className="message" role="status">
          Saved.
        </span>
      )}
    </form>
  );
}
