/**
 * The registry of invoice sources. Milestone splits and retainers register their adapters
 * here (`MilestoneSplit`, `Retainer`); a kind without an adapter contributes nothing.
 */
import type { InvoiceSourceType } from '../../db/schema.js';
import { actualSource } from './actuals.js';
import { milestoneSplitSource } from './milestoneSplits.js';
import type { InvoiceSource } from './source.js';

export const INVOICE_SOURCES: Partial<Record<InvoiceSourceType, InvoiceSource>> = {
  Actual: actualSource,
  MilestoneSplit: milestoneSplitSource,
};

export function sourceOf(type: InvoiceSourceType): InvoiceSource {
  const source = INVOICE_SOURCES[type];
  if (!source) throw new Error(`no invoice source registered for ${type}`);
  return source;
}

export const registeredSources = (): InvoiceSource[] => Object.values(INVOICE_SOURCES);
