/**
 * R72: the tax codes: list, create, edit. A code on any invoice keeps its category, rate and
 * exemption reason (the API answers TAX_CODE_IN_USE); its code and name may change.
 */
import { useState, type FormEvent } from 'react';
import { patch, post } from '../lib/api';
import { CATEGORY_NAMES, VAT_CATEGORIES, optional, text, type TaxCode } from '../lib/invoicing';
import { FieldMessage, FormProblem, ProblemSummary } from './FormErrors';

interface Draft {
  code: string;
  name: string;
  category: string;
  rate: string;
  exemptionReason: string;
}

const FIELDS = ['code', 'name', 'category', 'rate', 'exemptionReason'];

const draftOf = (t: TaxCode | null): Draft => ({
  code: text(t?.code),
  name: text(t?.name),
  category: t?.category ?? 'S',
  rate: text(t?.rate),
  exemptionReason: text(t?.exemptionReason),
});

function TaxCodeFields({
  draft,
  onChange,
  problem,
  locked,
  idPrefix,
}: {
  draft: Draft;
  onChange: (d: Draft) => void;
  problem: FormProblem | null;
  locked: boolean;
  idPrefix: string;
}) {
  const set = (field: keyof Draft, value: string) => onChange({ ...draft, [field]: value });
  return (
    <div className="row">
      <label>
        Code
        <input
          name={`${idPrefix}code`}
          size={8}
          value={draft.code}
          onChange={(e) => set('code', e.target.value)}
        />
        <FieldMessage problem={problem} field="code" />
      </label>
      <label>
        Name
        <input
          name={`${idPrefix}name`}
          value={draft.name}
          onChange={(e) => set('name', e.target.value)}
        />
        <FieldMessage problem={problem} field="name" />
      </label>
      <label>
        VAT category
        <select
          name={`${idPrefix}category`}
          value={draft.category}
          disabled={locked}
          onChange={(e) => set('category', e.target.value)}
        >
          {VAT_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {c} · {CATEGORY_NAMES[c]}
            </option>
          ))}
        </select>
        <FieldMessage problem={problem} field="category" />
      </label>
      <label>
        Rate (%)
        <input
          name={`${idPrefix}rate`}
          inputMode="decimal"
          size={6}
          value={draft.rate}
          disabled={locked}
          onChange={(e) => set('rate', e.target.value)}
        />
        <FieldMessage problem={problem} field="rate" />
      </label>
      <label>
        Exemption reason
        <input
          name={`${idPrefix}exemptionReason`}
          size={30}
          value={draft.exemptionReason}
          disabled={locked}
          onChange={(e) => set('exemptionReason', e.target.value)}
        />
        <FieldMessage problem={problem} field="exemptionReason" />
      </label>
    </div>
  );
}

function TaxCodeRow({ taxCode, onSaved }: { taxCode: TaxCode; onSaved: () => void }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<Draft>(draftOf(taxCode));
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    const before = draftOf(taxCode);
    const body: Record<string, string | null> = {};
    for (const f of FIELDS as (keyof Draft)[]) {
      if (draft[f] === before[f]) continue;
      body[f] = f === 'exemptionReason' ? (optional(draft[f]) ?? null) : draft[f].trim();
    }
    try {
      await patch<TaxCode>(`/tax-codes/${taxCode.id}`, body);
      setEditing(false);
      onSaved();
    } catch (err) {
      setProblem(FormProblem.from(err));
    }
  };
  if (!editing)
    return (
      <tr data-tax-code={taxCode.code}>
        <td>{taxCode.code}</td>
        <td>{taxCode.name}</td>
        <td>
          {taxCode.category} · {CATEGORY_NAMES[taxCode.category] ?? ''}
        </td>
        <td className="right num">{taxCode.rate} %</td>
        <td>{taxCode.exemptionReason ?? ''}</td>
        <td>{taxCode.inUse ? 'On invoices' : 'Not used yet'}</td>
        <td>
          <button
            type="button"
            className="secondary"
            aria-label={`Edit tax code ${taxCode.code}`}
            onClick={() => (setDraft(draftOf(taxCode)), setEditing(true))}
          >
            Edit
          </button>
        </td>
      </tr>
    );
  return (
    <tr data-tax-code={taxCode.code}>
      <td colSpan={7}>
        <form onSubmit={save} aria-label={`Edit tax code ${taxCode.code}`}>
          <ProblemSummary problem={problem} fields={FIELDS} />
          {taxCode.inUse && (
            <p className="muted">
              On invoices already: only its code and name can change; a new rate is a new code.
            </p>
          )}
          <TaxCodeFields
            draft={draft}
            onChange={setDraft}
            problem={problem}
            locked={taxCode.inUse}
            idPrefix={`edit-${taxCode.id}-`}
          />
          <button type="submit">Save tax code</button>{' '}
          <button type="button" className="secondary" onClick={() => setEditing(false)}>
            Cancel
          </button>
        </form>
      </td>
    </tr>
  );
}

export function TaxCodesEditor({
  taxCodes,
  onChange,
}: {
  taxCodes: TaxCode[];
  onChange: () => void;
}) {
  const [draft, setDraft] = useState<Draft>(draftOf(null));
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const create = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    try {
      await post<TaxCode>('/tax-codes', {
        code: draft.code.trim(),
        name: draft.name.trim(),
        category: draft.category,
        rate: draft.rate.trim(),
        exemptionReason: optional(draft.exemptionReason),
      });
      setDraft(draftOf(null));
      onChange();
    } catch (err) {
      setProblem(FormProblem.from(err));
    }
  };
  return (
    <section className="card" aria-labelledby="tax-codes">
      <h2 id="tax-codes">Tax codes</h2>
      <div className="table-wrap">
        <table className="grid">
          <thead>
            <tr>
              <th>Code</th>
              <th>Name</th>
              <th>VAT category</th>
              <th className="right">Rate</th>
              <th>Exemption reason</th>
              <th>Use</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {taxCodes.map((t) => (
              <TaxCodeRow
                key={`${t.id}-${t.code}-${t.rate}-${t.name}`}
                taxCode={t}
                onSaved={onChange}
              />
            ))}
          </tbody>
        </table>
        {taxCodes.length === 0 && <p className="empty">No tax codes yet.</p>}
      </div>
      <form onSubmit={create} aria-labelledby="new-tax-code">
        <h3 id="new-tax-code">New tax code</h3>
        <ProblemSummary problem={problem} fields={FIELDS} />
        <TaxCodeFields
          draft={draft}
          onChange={setDraft}
          problem={problem}
          locked={false}
          idPrefix="new-"
        />
        <button type="submit">Add tax code</button>
      </form>
    </section>
  );
}
