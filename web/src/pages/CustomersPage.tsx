/** Customers and their billing profiles (R71). */
import { useEffect, useState } from 'react';
import { CustomerProfileForm } from '../components/CustomerProfileForm';
import { FormProblem, ProblemSummary } from '../components/FormErrors';
import { Link } from '../components/Link';
import { NameSearchTable } from '../components/NameSearchTable';
import { get } from '../lib/api';
import type { CustomerProfile } from '../lib/invoicing';
import type { Customer } from '../lib/model';
import { useTaxCodes } from './SettingsPage';

export function CustomersPage() {
  return (
    <div className="page">
      <h1>Customers</h1>
      <NameSearchTable<Customer>
        path="/customers"
        noun="customer"
        head={<th>Customer</th>}
        row={(c) => (
          <td>
            <Link href={`/customers/${c.id}`}>{c.name}</Link>
          </td>
        )}
      />
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
