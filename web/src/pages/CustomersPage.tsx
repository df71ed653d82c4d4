/** Customers and their billing profiles (R71). */
import { useEffect, useState } from 'react';
import { CustomerProfileForm } from '../components/CustomerProfileForm';
import { FormProblem, ProblemSummary } from '../components/FormErrors';
import { Link } from '../components/Link';
import { get } from '../lib/api';
import type { CustomerProfile } from '../lib/invoicing';
import type { Customer } from '../lib/model';
import { useNameSearch } from '../lib/search';
import { useTaxCodes } from './SettingsPage';

export function CustomersPage() {
  const [q, setQ] = useState('');
  const { items: customers, more, problem } = useNameSearch<Customer>('/customers', q);
  return (
    <div className="page">
      <h1>Customers</h1>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Find a customer
          <input
            type="search"
            name="q"
            value={q}
            placeholder="Part of its name"
            onChange={(e) => setQ(e.target.value)}
          />
        </label>
      </form>
      <ProblemSummary problem={problem} fields={[]} />
      <div className="table-wrap">
        <table className="grid" aria-label="Customers">
          <thead>
            <tr>
              <th>Customer</th>
            </tr>
          </thead>
          <tbody>
            {(customers ?? []).map((c) => (
              <tr key={c.id}>
                <td>
                  <Link href={`/customers/${c.id}`}>{c.name}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {customers === null && <p>Loading…</p>}
        {customers?.length === 0 && (
          <p className="empty">{q ? 'No customer matches.' : 'No customers yet.'}</p>
        )}
        {more && (
          <button type="button" onClick={() => void more()}>
            More customers
          </button>
        )}
      </div>
    </div>
  );
}

export function CustomerPage({ id }: { id: string }) {
  const { taxCodes } = useTaxCodes();
  const [customer, setCustomer] = useState<CustomerProfile | null>(null);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  useEffect(() => {
    get<CustomerProfile>(`/customers/${id}`)
      .then(setCustomer)
      .catch((e) => setProblem(FormProblem.from(e)));
  }, [id]);
  return (
    <div className="page">
      <p>
        <Link href="/customers">← Customers</Link>
      </p>
      <h1>{customer?.name ?? 'Customer'}</h1>
      <ProblemSummary problem={problem} fields={[]} />
      {customer && (
        <CustomerProfileForm
          key={customer.id}
          customer={customer}
          taxCodes={taxCodes}
          onSaved={setCustomer}
        />
      )}
    </div>
  );
}
