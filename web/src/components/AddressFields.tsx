/** A postal address's inputs (R70, R71); errors name `<prefix>.<field>` as the API does. */
import { FieldMessage, type FormProblem } from './FormErrors';
import { text, type PostalAddress } from '../lib/invoicing';

export interface AddressDraft {
  line1: string;
  line2: string;
  city: string;
  postalCode: string;
  countrySubdivision: string;
  country: string;
}

const FIELDS: [keyof AddressDraft, string, number][] = [
  ['line1', 'Street and number', 30],
  ['line2', 'Address line 2', 30],
  ['postalCode', 'Postal code', 8],
  ['city', 'City', 18],
  ['countrySubdivision', 'Region', 12],
  ['country', 'Country (ISO code)', 3],
];

export const addressDraft = (a: PostalAddress | null | undefined): AddressDraft => ({
  line1: text(a?.line1),
  line2: text(a?.line2),
  city: text(a?.city),
  postalCode: text(a?.postalCode),
  countrySubdivision: text(a?.countrySubdivision),
  country: text(a?.country),
});

export const isBlankAddress = (a: AddressDraft): boolean =>
  Object.values(a).every((v) => v.trim() === '');

/** The body form: optional lines left out when empty, the country upper-cased. */
export function addressBody(a: AddressDraft): PostalAddress {
  return {
    line1: a.line1.trim(),
    ...(a.line2.trim() ? { line2: a.line2.trim() } : {}),
    city: a.city.trim(),
    postalCode: a.postalCode.trim(),
    ...(a.countrySubdivision.trim() ? { countrySubdivision: a.countrySubdivision.trim() } : {}),
    country: a.country.trim().toUpperCase(),
  };
}

export const addressFields = (prefix: string): string[] =>
  FIELDS.map(([f]) => `${prefix}.${f}`).concat(prefix);

export function AddressFields({
  prefix,
  legend,
  value,
  onChange,
  problem,
}: {
  prefix: string;
  legend: string;
  value: AddressDraft;
  onChange: (value: AddressDraft) => void;
  problem: FormProblem | null;
}) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      <FieldMessage problem={problem} field={prefix} />
      <div className="row">
        {FIELDS.map(([field, label, size]) => (
          <label key={field}>
            {label}
            <input
              name={`${prefix}.${field}`}
              size={size}
              value={value[field]}
              onChange={(e) => onChange({ ...value, [field]: e.target.value })}
            />
            <FieldMessage problem={problem} field={`${prefix}.${field}`} />
          </label>
        ))}
      </div>
    </fieldset>
  );
}
