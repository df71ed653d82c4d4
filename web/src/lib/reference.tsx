/**
 * Names for ids: customers and contracts, loaded once per session (and on demand after a
 * create), so grids show "Acme Corp" rather than "17".
 */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { getAll } from './api';
import type { Contract, Customer } from './model';

export interface Reference {
  customers: Customer[];
  contracts: Contract[];
  customerName: (id: string | null | undefined) => string;
  contractName: (id: string | null | undefined) => string;
  lineName: (id: string | null | undefined) => string;
  currencyOf: (contractId: string) => string | undefined;
  reload: () => Promise<void>;
}

const ReferenceContext = createContext<Reference | null>(null);

export function ReferenceProvider({ children }: { children: ReactNode }) {
  const [customers, setCustomers] = useState<Customer[]>([]);
  const [contracts, setContracts] = useState<Contract[]>([]);
  const reload = useCallback(async () => {
    try {
      const [cu, co] = await Promise.all([
        getAll<Customer>('/customers'),
        getAll<Contract>('/contracts'),
      ]);
      setCustomers(cu);
      setContracts(co);
    } catch {
      // Unauthorised or offline: the pages show their own errors; names fall back to ids.
    }
  }, []);
  useEffect(() => {
    void reload();
  }, [reload]);
  const customerById = new Map(customers.map((c) => [c.id, c.name]));
  const contractById = new Map(contracts.map((c) => [c.id, c]));
  const lineById = new Map(contracts.flatMap((c) => c.lines.map((l) => [l.id, l.name] as const)));
  const value: Reference = {
    customers,
    contracts,
    customerName: (id) => (id ? (customerById.get(id) ?? `#${id}`) : ''),
    contractName: (id) => (id ? (contractById.get(id)?.name ?? `#${id}`) : ''),
    lineName: (id) => (id ? (lineById.get(id) ?? `#${id}`) : ''),
    currencyOf: (id) => contractById.get(id)?.currency,
    reload,
  };
  return <ReferenceContext.Provider value={value}>{children}</ReferenceContext.Provider>;
}

export function useReference(): Reference {
  const ref = useContext(ReferenceContext);
  if (!ref) throw new Error('ReferenceProvider missing');
  return ref;
}
