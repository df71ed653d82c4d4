/**
 * The filters of a backlog view: contract, customer, billing status, NTE status (T&M) and
 * an inclusive date range. The API applies them (spec §5 lists); this only holds the values.
 */
import { BILLING_STATUSES, humanize, NTE_STATUSES } from '../../lib/model';
import { useReference } from '../../lib/reference';
import type { BacklogView } from '../../pages/backlog-views';

export interface Filters {
  contractId: string;
  customerId: string;
  billingStatus: string;
  nteStatus: string;
  dateFrom: string;
  dateTo: string;
}

export const NO_FILTERS: Filters = {
  contractId: '',
  customerId: '',
  billingStatus: '',
  nteStatus: '',
  dateFrom: '',
  dateTo: '',
};

export function BacklogFilters({
  view,
  filters,
  onChange,
}: {
  view: BacklogView;
  filters: Filters;
  onChange: (next: Filters | ((f: Filters) => Filters)) => void;
}) {
  const ref = useReference();
  const setFilter =
    (key: keyof Filters) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
      onChange((f) => ({ ...f, [key]: e.target.value }));
  return (
    <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
      <label>
        Contract
        <select name="contractId" value={filters.contractId} onChange={setFilter('contractId')}>
          <option value="">All contracts</option>
          {ref.contracts.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Customer
        <select name="customerId" value={filters.customerId} onChange={setFilter('customerId')}>
          <option value="">All customers</option>
          {ref.customers.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      {view.actions.length > 0 && (
        <label>
          Status
          <select
            name="billingStatus"
            value={filters.billingStatus}
            onChange={setFilter('billingStatus')}
          >
            <option value="">Open items</option>
            {BILLING_STATUSES.map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </select>
        </label>
      )}
      {view.nteFilter && (
        <label>
          NTE status
          <select name="nteStatus" value={filters.nteStatus} onChange={setFilter('nteStatus')}>
            <option value="">Any</option>
            {NTE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        From
        <input
          type="date"
          name="dateFrom"
          value={filters.dateFrom}
          onChange={setFilter('dateFrom')}
        />
      </label>
      <label>
        To
        <input type="date" name="dateTo" value={filters.dateTo} onChange={setFilter('dateTo')} />
      </label>
      <button type="button" className="secondary" onClick={() => onChange(NO_FILTERS)}>
        Clear filters
      </button>
    </form>
  );
}
