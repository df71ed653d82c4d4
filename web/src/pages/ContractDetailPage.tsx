/** One contract: its customers, its lines with their customers and splits, NTE usage; add a line. */
import {
  TRANSACTION_CLASSES,
  TransactionClassesField,
} from '../components/TransactionClassesField';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { FieldMessage, FormProblem, ProblemSummary } from '../components/FormErrors';
import { Link } from '../components/Link';
import { Money } from '../components/Money';
import { AuditTrail } from '../components/AuditTrail';
import { IfAllowed } from '../components/Gated';
import {
  ContractEditForm,
  LimitEditor,
  LineEditForm,
  ReevaluateOffer,
} from '../components/ContractEditing';
import { Milestones } from '../components/Milestones';
import { RetainerForms } from '../components/RetainerForms';
import {
  PartiesEditor,
  partiesBody,
  partyFields,
  type PartyDraft,
} from '../components/PartiesEditor';
import { get, post } from '../lib/api';
import { formatDate } from '../lib/dates';
import { humanize, type Contract, type ContractLine, type PartyOnContract } from '../lib/model';
import { nameOf } from './backlog-views';

function PartiesTable({
  parties,
  currency,
  limits,
}: {
  parties: PartyOnContract[];
  currency: string;
  /** Where each party's limit is changed, and what a change does next; none: read-only. */
  limits?: { level: string; path: (customerId: string) => string; onSaved: Saved };
}) {
  return (
    <table className="grid compact">
      <thead>
        <tr>
          <th>Customer</th>
          <th className="right">Split %</th>
          <th>Rounding</th>
          <th className="right">NTE limit</th>
          {limits && <th>Not-to-exceed usage</th>}
        </tr>
      </thead>
      <tbody>
        {parties.map((p) => (
          <tr key={p.id}>
            <td>{nameOf(p.customerName, p.customerId)}</td>
            <td className="right num">{p.billingSplitPercent}</td>
            <td>{p.isRounding ? 'Yes' : ''}</td>
            <td className="right">
              <Money value={p.notToExceed} currency={currency} />
            </td>
            {limits && (
              <td>
                <LimitEditor
                  label={`Limit for ${nameOf(p.customerName, p.customerId)}`}
                  level={limits.level}
                  value={p.notToExceed}
                  usage={(p as { nteUsage?: unknown }).nteUsage}
                  currency={currency}
                  path={limits.path(p.customerId)}
                  onSaved={limits.onSaved}
                />
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type Saved = (raised: boolean) => Promise<void>;

function LineCard({
  line,
  currency,
  onSaved,
}: {
  line: ContractLine;
  currency: string;
  onSaved: Saved;
}) {
  const isTM = line.billingMethod === 'TimeAndMaterial';
  return (
    <article className="card line" aria-label={`Line ${line.name}`}>
      <h3>
        {line.name} <span className="muted">· {humanize(line.billingMethod)}</span>
      </h3>
      <dl className="facts">
        <div>
          <dt>Classes</dt>
          <dd>{line.transactionClasses.join(', ')}</dd>
        </div>
        {line.contractedAmount && (
          <div>
            <dt>Contracted amount</dt>
            <dd>
              <Money value={line.contractedAmount} currency={currency} />
            </dd>
          </div>
        )}
        <div>
          <dt>Line NTE limit</dt>
          <dd>
            <Money value={line.notToExceed} currency={currency} />
          </dd>
        </div>
        {line.invoiceSchedule.length > 0 && (
          <div>
            <dt>Invoice schedule</dt>
            <dd>
              {line.invoiceSchedule
                .map((s) => `${formatDate(s.runDate)} (cut-off ${formatDate(s.cutoffDate)})`)
                .join('; ')}
            </dd>
          </div>
        )}
      </dl>
      {isTM && (
        <>
          <h4>Line not-to-exceed</h4>
          <LimitEditor
            label={`Limit of line ${line.name}`}
            level="ContractLine"
            value={line.notToExceed}
            usage={line.nteUsage}
            currency={currency}
            path={`/contract-lines/${line.id}`}
            onSaved={onSaved}
          />
        </>
      )}
      <PartiesTable
        parties={line.customers}
        currency={currency}
        limits={
          isTM
            ? {
                level: 'LineCustomer',
                path: (customerId) => `/contract-lines/${line.id}/customers/${customerId}`,
                onSaved,
              }
            : undefined
        }
      />
      <LineEditForm line={line} currency={currency} onSaved={onSaved} />
      {!isTM && <Milestones line={line} currency={currency} />}
      <AuditTrail entityType="ContractLine" entityId={line.id} />
    </article>
  );
}

function LineForm({ contract, onCreated }: { contract: Contract; onCreated: () => Promise<void> }) {
  const [name, setName] = useState('');
  const [billingMethod, setBillingMethod] = useState<'TimeAndMaterial' | 'FixedPrice'>(
    'TimeAndMaterial',
  );
  const [classes, setClasses] = useState<string[]>(TRANSACTION_CLASSES);
  const [contractedAmount, setContractedAmount] = useState('');
  const [nte, setNte] = useState('');
  const [ownSplit, setOwnSplit] = useState(false);
  const [parties, setParties] = useState<PartyDraft[]>(() =>
    contract.customers.map((c) => ({
      customerId: c.customerId,
      billingSplitPercent: c.billingSplitPercent,
      isRounding: c.isRounding,
      notToExceed: '',
    })),
  );
  const [problem, setProblem] = useState<FormProblem | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    try {
      await post(`/contracts/${contract.id}/lines`, {
        name,
        billingMethod,
        transactionClasses: classes,
        ...(contractedAmount.trim() ? { contractedAmount: contractedAmount.trim() } : {}),
        ...(nte.trim() ? { notToExceed: nte.trim() } : {}),
        ...(ownSplit ? { customers: partiesBody(parties) } : {}),
      });
      setName('');
      setContractedAmount('');
      setNte('');
      await onCreated();
    } catch (err) {
      setProblem(FormProblem.from(err));
    }
  };
  const fields = [
    'name',
    'billingMethod',
    'transactionClasses',
    'contractedAmount',
    'notToExceed',
    'customers',
    ...partyFields('customers', parties.length),
  ];
  return (
    <form className="card" onSubmit={submit} aria-labelledby="new-line">
      <h2 id="new-line">New line</h2>
      <ProblemSummary problem={problem} fields={fields} />
      <div className="row">
        <label>
          Line name
          <input name="lineName" value={name} onChange={(e) => setName(e.target.value)} />
          <FieldMessage problem={problem} field="name" />
        </label>
        <label>
          Billing method
          <select
            name="billingMethod"
            value={billingMethod}
            onChange={(e) => setBillingMethod(e.target.value as typeof billingMethod)}
          >
            <option value="TimeAndMaterial">Time and material</option>
            <option value="FixedPrice">Fixed price</option>
          </select>
          <FieldMessage problem={problem} field="billingMethod" />
        </label>
        {billingMethod === 'FixedPrice' ? (
          <label>
            Contracted amount
            <input
              name="contractedAmount"
              inputMode="decimal"
              value={contractedAmount}
              onChange={(e) => setContractedAmount(e.target.value)}
            />
            <FieldMessage problem={problem} field="contractedAmount" />
          </label>
        ) : (
          <label>
            Line NTE limit
            <input
              name="lineNotToExceed"
              inputMode="decimal"
              value={nte}
              onChange={(e) => setNte(e.target.value)}
            />
            <FieldMessage problem={problem} field="notToExceed" />
          </label>
        )}
      </div>
      <TransactionClassesField value={classes} onChange={setClasses} problem={problem} />
      <label className="inline">
        <input type="checkbox" checked={ownSplit} onChange={(e) => setOwnSplit(e.target.checked)} />
        Own customers and splits for this line (otherwise the contract's)
      </label>
      {ownSplit && (
        <PartiesEditor
          prefix="customers"
          parties={parties}
          onChange={setParties}
          problem={problem}
        />
      )}
      <button type="submit">Add line</button>
    </form>
  );
}

export function ContractDetailPage({ id }: { id: string }) {
  const [contract, setContract] = useState<Contract | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [raised, setRaised] = useState(0);
  const load = useCallback(async () => {
    try {
      setContract(await get<Contract>(`/contracts/${id}`));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);

  const saved: Saved = async (wasRaised) => {
    // The record itself carries its names: reloading it is all a rename needs.
    await load();
    if (wasRaised) setRaised((n) => n + 1);
  };

  if (error) return <p className="error page">{error}</p>;
  if (!contract) return <p className="page">Loading…</p>;
  return (
    <div className="page">
      <p>
        <Link href="/contracts">← Contracts</Link>
      </p>
      <h1>{contract.name}</h1>
      <ContractEditForm key={contract.name} contract={contract} onSaved={saved} />
      {raised > 0 && <ReevaluateOffer key={raised} contractId={contract.id} onDone={load} />}
      <dl className="facts">
        <div>
          <dt>Currency</dt>
          <dd>{contract.currency}</dd>
        </div>
        <div>
          <dt>Contract NTE limit</dt>
          <dd>
            <Money value={contract.notToExceed} currency={contract.currency} />
          </dd>
        </div>
      </dl>
      <h2>Contract not-to-exceed</h2>
      <LimitEditor
        label="Contract limit"
        level="Contract"
        value={contract.notToExceed}
        usage={contract.nteUsage}
        currency={contract.currency}
        path={`/contracts/${contract.id}`}
        onSaved={saved}
      />
      <h2>Contract customers</h2>
      <PartiesTable
        parties={contract.customers}
        currency={contract.currency}
        limits={{
          level: 'ContractCustomer',
          path: (customerId) => `/contracts/${contract.id}/customers/${customerId}`,
          onSaved: saved,
        }}
      />
      <h2>Lines</h2>
      {contract.lines.length === 0 && <p className="empty">No lines yet.</p>}
      {contract.lines.map((l) => (
        <LineCard
          key={`${l.id}-${l.name}-${l.notToExceed}`}
          line={l}
          currency={contract.currency}
          onSaved={saved}
        />
      ))}
      <h2>Retainers and advances</h2>
      <RetainerForms contract={contract} />
      <AuditTrail entityType="Contract" entityId={contract.id} />
      <IfAllowed need="admin">
        <LineForm contract={contract} onCreated={load} />
      </IfAllowed>
    </div>
  );
}
