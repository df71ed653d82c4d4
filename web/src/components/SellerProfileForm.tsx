/**
 * R70: the seller profile, one per installation, printed on every invoice. `PUT` replaces the
 * whole profile, so the form sends every field it shows (empty optional ones left out).
 */
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, api, get } from '../lib/api';
import { optional, text, type SellerProfile, type TaxCode } from '../lib/invoicing';
import {
  AddressFields,
  addressBody,
  addressDraft,
  addressFields,
  type AddressDraft,
} from './AddressFields';
import { FieldMessage, FormProblem, ProblemSummary } from './FormErrors';
import { TaxCodeOptions } from './TaxCodeOptions';

interface Draft {
  legalName: string;
  vatId: string;
  companyId: string;
  email: string;
  phone: string;
  eScheme: string;
  eValue: string;
  iban: string;
  bic: string;
  accountName: string;
  paymentInstructions: string;
  defaultPaymentTermsDays: string;
  defaultTaxCodeId: string;
  invoiceFooter: string;
}

function draftOf(p: SellerProfile | null): Draft {
  return {
    legalName: text(p?.legalName),
    vatId: text(p?.vatId),
    companyId: text(p?.companyId),
    email: text(p?.email),
    phone: text(p?.phone),
    eScheme: text(p?.electronicAddress?.scheme),
    eValue: text(p?.electronicAddress?.value),
    iban: text(p?.bank?.iban),
    bic: text(p?.bank?.bic),
    accountName: text(p?.bank?.accountName),
    paymentInstructions: text(p?.paymentInstructions),
    defaultPaymentTermsDays: text(p?.defaultPaymentTermsDays ?? 30),
    defaultTaxCodeId: text(p?.defaultTaxCodeId),
    invoiceFooter: text(p?.invoiceFooter),
  };
}

function bodyOf(d: Draft, address: AddressDraft) {
  const days = d.defaultPaymentTermsDays.trim();
  return {
    legalName: d.legalName.trim(),
    address: addressBody(address),
    vatId: optional(d.vatId),
    companyId: optional(d.companyId),
    email: optional(d.email),
    phone: optional(d.phone),
    electronicAddress:
      d.eScheme.trim() || d.eValue.trim()
        ? { scheme: d.eScheme.trim(), value: d.eValue.trim() }
        : undefined,
    bank: d.iban.trim()
      ? {
          iban: d.iban.replace(/\s+/g, '').toUpperCase(),
          bic: optional(d.bic),
          accountName: optional(d.accountName),
        }
      : undefined,
    paymentInstructions: optional(d.paymentInstructions),
    // A number the API validates; text that is not one is sent as is, to be named in the error.
    defaultPaymentTermsDays: /^\d+$/.test(days) ? Number(days) : days || undefined,
    defaultTaxCodeId: optional(d.defaultTaxCodeId),
    invoiceFooter: optional(d.invoiceFooter),
  };
}

const TEXT_FIELDS: [keyof Draft, string, string][] = [
  ['legalName', 'Legal name', 'legalName'],
  ['vatId', 'VAT ID', 'vatId'],
  ['companyId', 'Company ID', 'companyId'],
  ['email', 'E-mail', 'email'],
  ['phone', 'Phone', 'phone'],
  ['eScheme', 'Electronic address scheme (EAS)', 'electronicAddress.scheme'],
  ['eValue', 'Electronic address', 'electronicAddress.value'],
  ['iban', 'IBAN', 'bank.iban'],
  ['bic', 'BIC', 'bank.bic'],
  ['accountName', 'Account name', 'bank.accountName'],
  ['defaultPaymentTermsDays', 'Payment terms (days)', 'defaultPaymentTermsDays'],
];

export function SellerProfileForm({ taxCodes }: { taxCodes: TaxCode[] }) {
  const [draft, setDraft] = useState<Draft>(draftOf(null));
  const [address, setAddress] = useState<AddressDraft>(addressDraft(null));
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    get<SellerProfile>('/settings/seller')
      .then((p) => {
        setDraft(draftOf(p));
        setAddress(addressDraft(p.address));
      })
      // No profile yet: the form starts empty.
      .catch((e) =>
        e instanceof ApiError && e.status === 404 ? null : setProblem(FormProblem.from(e)),
      );
  }, []);
  const set = (field: keyof Draft, value: string) => {
    setSaved(false);
    setDraft((d) => ({ ...d, [field]: value }));
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setSaved(false);
    try {
      const p = await api<SellerProfile>('PUT', '/settings/seller', bodyOf(draft, address));
      setDraft(draftOf(p));
      setAddress(addressDraft(p.address));
      setSaved(true);
    } catch (err) {
      setProblem(FormProblem.from(err));
    }
  };
  const fields = [
    ...TEXT_FIELDS.map(([, , f]) => f),
    ...addressFields('address'),
    'electronicAddress',
    'bank',
    'paymentInstructions',
    'defaultTaxCodeId',
    'invoiceFooter',
  ];
  return (
    <form className="card" onSubmit={submit} aria-labelledby="seller-profile">
      <h2 id="seller-profile">Seller profile</h2>
      <p className="muted">Who issues the invoices: printed on every invoice and e-invoice.</p>
      <ProblemSummary problem={problem} fields={fields} />
      <div className="row">
        {TEXT_FIELDS.slice(0, 5).map(([key, label, field]) => (
          <label key={key}>
            {label}
            <input name={field} value={draft[key]} onChange={(e) => set(key, e.target.value)} />
            <FieldMessage problem={problem} field={field} />
          </label>
        ))}
      </div>
      <AddressFields
        prefix="address"
        legend="Address"
        value={address}
        onChange={(a) => (setSaved(false), setAddress(a))}
        problem={problem}
      />
      <fieldset>
        <legend>Payment</legend>
        <div className="row">
          {TEXT_FIELDS.slice(7).map(([key, label, field]) => (
            <label key={key}>
              {label}
              <input name={field} value={draft[key]} onChange={(e) => set(key, e.target.value)} />
              <FieldMessage problem={problem} field={field} />
            </label>
          ))}
          <label>
            Default tax code
            <select
              name="defaultTaxCodeId"
              value={draft.defaultTaxCodeId}
              onChange={(e) => set('defaultTaxCodeId', e.target.value)}
            >
              <TaxCodeOptions taxCodes={taxCodes} none="None" />
            </select>
            <FieldMessage problem={problem} field="defaultTaxCodeId" />
          </label>
        </div>
        <label>
          Payment instructions
          <textarea
            name="paymentInstructions"
            rows={2}
            cols={60}
            value={draft.paymentInstructions}
            onChange={(e) => set('paymentInstructions', e.target.value)}
          />
          <FieldMessage problem={problem} field="paymentInstructions" />
        </label>
      </fieldset>
      <fieldset>
        <legend>E-invoicing and footer</legend>
        <div className="row">
          {TEXT_FIELDS.slice(5, 7).map(([key, label, field]) => (
            <label key={key}>
              {label}
              <input name={field} value={draft[key]} onChange={(e) => set(key, e.target.value)} />
              <FieldMessage problem={problem} field={field} />
            </label>
          ))}
        </div>
        <label>
          Invoice footer
          <input
            name="invoiceFooter"
            size={60}
            value={draft.invoiceFooter}
            onChange={(e) => set('invoiceFooter', e.target.value)}
          />
          <FieldMessage problem={problem} field="invoiceFooter" />
        </label>
      </fieldset>
      <button type="submit">Save seller profile</button>{' '}
      {saved && (
        <span className="message" role="status">
          Saved.
        </span>
      )}
    </form>
  );
}
