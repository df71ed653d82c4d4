import type { CustomerRecord } from '../../repositories/customers.js';

/** R71: a customer with its billing profile as flat fields (null where not set). */
export function presentCustomer(c: CustomerRecord) {
  return { id: c.id, name: c.name, ...c.profile };
}
