/**
 * Retainers and advances of a contract (R50–R54): one retainer, or a schedule of them
 * (a total over periods, R54). Their billing happens in the retainers backlog view.
 */
import { useState, type FormEvent } from 'react';
import { post } from '../lib/api';
import { amountPlaceholder } from '../lib/decimal';
import type { Contract } from '../lib/model';
import { nameOf } from '../pages/backlog-views';
import { FieldMessage, FormProblem, ProblemSummary } from './FormErrors';
import { IfAllowed } from './Gated';
import { Link } from './Link';

export function RetainerForms({ contract }: { contract: Contract }) {
  const firstCustomer = contract.customers[0]?.customerId ?? '';
  const [customerId, setCustomerId] = useState(firstCustomer);
  const [kind, setKind] = useState('Retainer');
  const [amount, setAmount] = useState('');
  const [date, setDate] = useState('');
  const [description, setDescription] = useState('');
  const [scheduled, setScheduled] = useState(false);
  const [frequency, setFrequency] = useState('monthly');
  const [endDate, setEndDate] = useState('');
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setMessage(null);
    try {
      if (scheduled) {
        const res = await post<{ retainers: unknown[] }>(
          `/contracts/${contract.id}/retainers/schedule`,
          {
            customerId,
            kind,
            total: amount,
            frequency,
            startDate: date,
            endDate,
            ...(description ? { description } : {}),
          },
        );
        setMessage(`${res.retainers.length} ${kind.toLowerCase()}s scheduled.`);
      } else {
        await post(`/contracts/${contract.id}/retainers`, {
          customerId,
          kind,
          amount,
          date,
          ...(description ? { description } : {}),
        });
        setMessage(`${kind} created.`);
      }
      setAmount('');
    } catch (err) {
      setProblem(FormProblem.from(err));
    }
  };
  return (
    <>
      <p>
        <Link href="/backlog/retainers-and-advances">See and bill retainers in the backlog →</Link>
      </p>
      <IfAllowed need="admin">
        <form className="card" onSubmit={submit} aria-label="New retainer or advance">
          <ProblemSummary
            problem={problem}
            fields={['customerId', 'kind', 'amount', 'total', 'date', 'startDate', 'endDate']}
          />
          <div className="row">
            <label>
              Customer
              <select value={customerId} onChange={(e) => setCustomerId(e.target.value)}>
                {contract.customers.map((c) => (
                  <option key={c.customerId} value={c.customerId}>
                    {nameOf(c.customerName, c.customerId)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Kind
              <select value={kind} onChange={(e) => setKind(e.target.value)}>
                <option value="Retainer">Retainer</option>
                <option value="Advance">Advance</option>
              </select>
            </label>
            <label>
              {scheduled ? 'Total over the schedule' : 'Retainer amount'}
              <input
                inputMode="decimal"
                placeholder={amountPlaceholder(contract.currency)}
                value={amount}
                onChange={(e) => setAmount(e.target.value)}
              />
              <FieldMessage problem={problem} field={scheduled ? 'total' : 'amount'} />
            </label>
            <label>
              {scheduled ? 'First date' : 'Retainer date'}
              <input type="date" value={date} onChange={(e) => setDate(e.target.value)} />
              <FieldMessage problem={problem} field={scheduled ? 'startDate' : 'date'} />
            </label>
            <label>
              Description
              <input value={description} onChange={(e) => setDescription(e.target.value)} />
            </label>
          </div>
          <label className="inline">
            <input
              type="checkbox"
              checked={scheduled}
              onChange={(e) => setScheduled(e.target.checked)}
            />
            A schedule: split the total over periods
          </label>
          {scheduled && (
            <div className="row">
              <label>
                Frequency
                <select value={frequency} onChange={(e) => setFrequency(e.target.value)}>
                  <option value="weekly">weekly</option>
                  <option value="monthly">monthly</option>
                  <option value="quarterly">quarterly</option>
                </select>
              </label>
              <label>
                Last date
                <input type="date" value={endDate} onChange={(e) => setEndDate(e.target.value)} />
                <FieldMessage problem={problem} field="endDate" />
              </label>
            </div>
          )}
          <button type="submit">{scheduled ? 'Schedule' : 'Create'}</button>
          {message && <span role="status"> {message}</span>}
        </form>
      </IfAllowed>
    </>
  );
}
