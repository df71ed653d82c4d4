/** Customers and their billing profiles (R71). */
import { useEffect, useState } from 'react';
import { CustomerProfileForm } from '../components/CustomerProfileForm';
import { FormProblem, ProblemSummary } from '../components/FormErrors';
import { Link } from '../components/Link';
import { get } from '../lib/api';
import type { CustomerProfile } from '../lib/invoicing';
import { useReference } from '../lib/reference';
import { useTaxCodes } from './SettingsPage';

export function CustomersPage() {
  const ref = useReference();
  return (
    <div className="page">
      <h1>Customers</h1>
      <div className="table-wrap">
        <table className="grid">
          <thead>
            <tr>
              <th>Customer</th>
            </tr>
          </thead>
          <tbody>
            {ref.customers.map((c) => (
              <tr key={c.id}>
                <td>
                  <Link href={`/customers/${c.id}`}>{c.name}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {ref.customers.length === 0 && <p className="empty">No customers yet.</p>}
      </div>
    </div>
  );
}

export function CustomerPage({ id }: { id: string }) {
  const ref = useReference();
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
          onSaved={(c) => {
            setCustomer(c);
            void ref.reload();
          }}
        />
      )}
    </div>
  );
}
