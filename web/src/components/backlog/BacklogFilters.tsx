/**
 * The filters of a backlog view: contract, customer, billing status, NTE status (T&M) and
 * an inclusive date range. The API applies them (spec §5 lists); this only holds the values.
 * Contract and customer are searched on the server as they are typed, so the filters never
 * download every contract or customer.
 */
import { BILLING_STATUSES, humanize, NTE_STATUSES } from '../../lib/model';
import type { BacklogView } from '../../pages/backlog-views';
import { ContractFilter, CustomerFilter } from '../SearchCombobox';

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
  const setFilter =
    (key: keyof Filters) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
      onChange((f) => ({ ...f, [key]: e.target.value }));
  return (
    <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
      <ContractFilter
        value={filters.contractId}
        onChange={(id) => onChange((f) => ({ ...f, contractId: id }))}
      />
      <CustomerFilter
        value={filters.customerId}
        onChange={(id) => onChange((f) => ({ ...f, customerId: id }))}
      />
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
