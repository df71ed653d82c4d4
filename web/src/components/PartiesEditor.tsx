/**
 * Customers on a contract or line: customer, split %, the one rounding customer (R3), an
 * optional NTE limit. Errors name `<prefix>.<index>.<field>`.
 */
import { FieldMessage, type FormProblem } from './FormErrors';
import { SearchCombobox } from './SearchCombobox';

export interface PartyDraft {
  customerId: string;
  billingSplitPercent: string;
  isRounding: boolean;
  notToExceed: string;
}

export const emptyParty = (isRounding = false): PartyDraft => ({
  customerId: '',
  billingSplitPercent: '',
  isRounding,
  notToExceed: '',
});

export function partyFields(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    ['customerId', 'billingSplitPercent', 'isRounding', 'notToExceed'].map(
      (f) => `${prefix}.${i}.${f}`,
    ),
  ).flat();
}

/** The request body's form of the drafts: empty optional fields are left out. */
export function partiesBody(parties: PartyDraft[]) {
  return parties.map((p) => ({
    customerId: p.customerId,
    ...(p.billingSplitPercent.trim() ? { billingSplitPercent: p.billingSplitPercent.trim() } : {}),
    isRounding: p.isRounding,
    ...(p.notToExceed.trim() ? { notToExceed: p.notToExceed.trim() } : {}),
  }));
}

export function PartiesEditor({
  prefix,
  parties,
  onChange,
  problem,
}: {
  prefix: string;
  parties: PartyDraft[];
  onChange: (parties: PartyDraft[]) => void;
  problem: FormProblem | null;
}) {
  const update = (i: number, patch: Partial<PartyDraft>) =>
    onChange(
      parties.map((p, j) => {
        if (patch.isRounding) return j === i ? { ...p, ...patch } : { ...p, isRounding: false };
        return j === i ? { ...p, ...patch } : p;
      }),
    );
  return (
    <fieldset className="parties">
      <legend>Customers and splits</legend>
      <FieldMessage problem={problem} field={prefix} />
      {parties.map((p, i) => (
        <div className="party-row" key={i}>
          <div className="party-customer">
            <SearchCombobox
              kind="customers"
              label="Customer"
              name={`${prefix}.${i}.customerId`}
              placeholder="Type to search…"
              value={p.customerId}
              onChange={(customerId) => update(i, { customerId })}
            />
            <FieldMessage problem={problem} field={`${prefix}.${i}.customerId`} />
          </div>
          <label>
            Split %
            <input
              name={`${prefix}.${i}.billingSplitPercent`}
              inputMode="decimal"
              value={p.billingSplitPercent}
              onChange={(e) => update(i, { billingSplitPercent: e.target.value })}
              size={7}
            />
            <FieldMessage problem={problem} field={`${prefix}.${i}.billingSplitPercent`} />
          </label>
          <label className="inline">
            <input
              type="radio"
              name={`${prefix}-rounding`}
              checked={p.isRounding}
              onChange={() => update(i, { isRounding: true })}
            />
            Rounding customer
            <FieldMessage problem={problem} field={`${prefix}.${i}.isRounding`} />
          </label>
          <label>
            NTE limit
            <input
              name={`${prefix}.${i}.notToExceed`}
              inputMode="decimal"
              value={p.notToExceed}
              onChange={(e) => update(i, { notToExceed: e.target.value })}
              size={10}
            />
            <FieldMessage problem={problem} field={`${prefix}.${i}.notToExceed`} />
          </label>
          {parties.length > 1 && (
            <button
              type="button"
              className="secondary"
              aria-label={`Remove customer ${i + 1}`}
              onClick={() => onChange(parties.filter((_, j) => j !== i))}
            >
              Remove
            </button>
          )}
        </div>
      ))}
      <button
        type="button"
        className="secondary"
        onClick={() => onChange([...parties, emptyParty()])}
      >
        Add customer
      </button>
    </fieldset>
  );
}
