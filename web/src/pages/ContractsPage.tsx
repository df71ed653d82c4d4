/** Contracts: the list, and forms to create a customer and a contract. */
import { useState, type FormEvent } from 'react';
import { FieldMessage, FormProblem, ProblemSummary } from '../components/FormErrors';
import { Link } from '../components/Link';
import { Money } from '../components/Money';
import { NameSearchTable } from '../components/NameSearchTable';
import {
  emptyParty,
  PartiesEditor,
  partiesBody,
  partyFields,
  type PartyDraft,
} from '../components/PartiesEditor';
import { post } from '../lib/api';
import type { Contract, Customer } from '../lib/model';

import { navigate } from '../lib/router';

function CustomerForm() {
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    try {
      const c = await post<Customer>('/customers', { name });
      setDone(`Customer “${c.name}” created.`);
      setName('');
    } catch (err) {
      setProblem(FormProblem.from(err));
      setDone(null);
    }
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="new-customer">
      <h2 id="new-customer">New customer</h2>
      <ProblemSummary problem={problem} fields={['name']} />
      <label>
        Name
        <input name="customerName" value={name} onChange={(e) => setName(e.target.value)} />
        <FieldMessage problem={problem} field="name" />
      </label>
      <button type="submit">Create customer</button>
      {done && <p role="status">{done}</p>}
    </form>
  );
}

function ContractForm() {
  const [name, setName] = useState('');
  const [currency, setCurrency] = useState('USD');
  const [nte, setNte] = useState('');
  const [parties, setParties] = useState<PartyDraft[]>([emptyParty(true)]);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    try {
      const c = await post<Contract>('/contracts', {
        name,
        currency: currency.trim().toUpperCase(),
        customers: partiesBody(parties),
        ...(nte.trim() ? { notToExceed: nte.trim() } : {}),
      });
      navigate(`/contracts/${c.id}`);
    } catch (err) {
      setProblem(FormProblem.from(err));
    }
  };
  const fields = [
    'name',
    'currency',
    'notToExceed',
    'customers',
    ...partyFields('customers', parties.length),
  ];
  return (
    <form className="card" onSubmit={submit} aria-labelledby="new-contract">
      <h2 id="new-contract">New contract</h2>
      <ProblemSummary problem={problem} fields={fields} />
      <div className="row">
        <label>
          Name
          <input name="name" value={name} onChange={(e) => setName(e.target.value)} />
          <FieldMessage problem={problem} field="name" />
        </label>
        <label>
          Currency
          <input
            name="currency"
            value={currency}
            onChange={(e) => setCurrency(e.target.value)}
            size={4}
          />
          <FieldMessage problem={problem} field="currency" />
        </label>
        <label>
          Contract NTE limit
          <input
            name="notToExceed"
            inputMode="decimal"
            value={nte}
            onChange={(e) => setNte(e.target.value)}
          />
          <FieldMessage problem={problem} field="notToExceed" />
        </label>
      </div>
      <PartiesEditor prefix="customers" parties={parties} onChange={setParties} problem={problem} />
      <button type="submit">Create contract</button>
    </form>
  );
}

export function ContractsPage() {
  return (
    <div className="page">
      <h1>Contracts</h1>
      <NameSearchTable<Contract>
        path="/contracts"
        noun="contract"
        head={
          <>
            <th>Contract</th>
            <th>Currency</th>
            <th>Customers</th>
            <th>Lines</th>
            <th className="right">NTE limit</th>
          </>
        }
        row={(c) => (
          <>
            <td>
              <Link href={`/contracts/${c.id}`}>{c.name}</Link>
            </td>
            <td>{c.currency}</td>
            <td>
              {c.customers
                .map((p) => `${p.customerName ?? `#${p.customerId}`} ${p.billingSplitPercent} %`)
                .join(', ')}
            </td>
            <td>{c.lines.length}</td>
            <td className="right">
              <Money value={c.notToExceed} currency={c.currency} />
            </td>
          </>
        )}
      />
      <div className="forms">
        <CustomerForm />
        <ContractForm />
      </div>
    </div>
  );
}
