/** Customers and their billing profiles (R71). */
import { useEffect, useState } from 'react';
import { CustomerProfileForm } from '../components/CustomerProfileForm';
import { FormProblem, ProblemSummary } from '../components/FormErrors';
import { Link } from '../components/Link';
import { get, type Page } from '../lib/api';
import type { CustomerProfile } from '../lib/invoicing';
import type { Customer } from '../lib/model';
import { useTaxCodes } from './SettingsPage';

/** Customers a page at a time, searched by name on the server (`q`), never all at once. */
function useCustomerSearch(q: string) {
  const [customers, setCustomers] = useState<Customer[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const load = async (after: string | null) => {
    try {
      const page = await get<Page<Customer>>('/customers', { q, limit: 50, cursor: after });
      setCustomers((c) => (after && c ? [...c, ...page.items] : page.items));
      setCursor(page.nextCursor);
      setProblem(null);
    } catch (e) {
      setProblem(FormProblem.from(e));
    }
  };
  useEffect(() => {
    const timer = setTimeout(() => void load(null), 200);
    return () => clearTimeout(timer);
  }, [q]);
  return { customers, more: cursor ? () => load(cursor) : null, problem };
}

export function CustomersPage() {
  const [q, setQ] = useState('');
  const { customers, more, problem } = useCustomerSearch(q);
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
