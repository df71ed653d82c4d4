/**
 * Racing clients for the concurrency and crash tests: contracts seeded through a real
 * server, and one random action per call (marks, drafts, confirms, bulk confirms, runs,
 * deletions, cancel and re-approve) over the same items.
 */
import assert from 'node:assert/strict';
import type { ServerProcess } from './server.js';

export interface RaceContract {
  id: string;
  lineId: string;
  entries: string[];
}

/** Contracts with approved entries, built through one server's API. */
export async function seedContracts(
  s: ServerProcess,
  contracts: number,
  entries: number,
): Promise<RaceContract[]> {
  const out: RaceContract[] = [];
  for (let c = 0; c < contracts; c++) {
    const customers: string[] = [];
    for (let i = 0; i < 2; i++)
      customers.push(
        (await s.request('POST', '/customers', { name: `Race ${c}-${i}-${Date.now()}` })).body.id,
      );
    const contract = await s.request('POST', '/contracts', {
      name: `Race contract ${c}`,
      currency: 'USD',
      customers: [
        { customerId: customers[0], billingSplitPercent: '66.67' },
        { customerId: customers[1], billingSplitPercent: '33.33' },
      ],
      ...(c === 0 ? { notToExceed: '5000.00' } : {}),
    });
    assert.equal(contract.status, 201, JSON.stringify(contract.body));
    const line = await s.request('POST', `/contracts/${contract.body.id}/lines`, {
      name: 'Race line',
      billingMethod: 'TimeAndMaterial',
      invoiceSchedule: [{ runDate: '2026-04-30', cutoffDate: '2026-03-31' }],
    });
    assert.equal(line.status, 201, JSON.stringify(line.body));
    const ids: string[] = [];
    for (let e = 0; e < entries; e++) {
      const entry = await s.request('POST', '/entries', {
        contractLineId: line.body.id,
        transactionClass: 'Time',
        date: `2026-03-${String(1 + (e % 28)).padStart(2, '0')}`,
        quantity: `${1 + (e % 7)}.25`,
        unitPrice: '123.45',
      });
      assert.equal(entry.status, 201, JSON.stringify(entry.body));
      const approved = await s.request('POST', `/entries/${entry.body.id}/approve`, {});
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      ids.push(entry.body.id);
    }
    out.push({ id: contract.body.id, lineId: line.body.id, entries: ids });
  }
  return out;
}

/** One random racing action; answers its status. */
export async function raceStep(
  s: ServerProcess,
  contracts: RaceContract[],
  r: () => number,
  options: {
    feed?: boolean;
    /** Called just before a confirm, bulk confirm or run is sent. */ critical?: () => void;
  } = {},
): Promise<number> {
  const c = contracts[Math.floor(r() * contracts.length)]!;
  // New approved and ready work, so long runs keep having something to invoice.
  if (options.feed && r() < 0.15) {
    const entry = await s.request('POST', '/entries', {
      contractLineId: c.lineId,
      transactionClass: 'Time',
      date: `2026-03-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`,
      quantity: `${1 + Math.floor(r() * 9)}.50`,
      unitPrice: '99.99',
    });
    if (entry.status !== 201) return entry.status;
    const approved = await s.request('POST', `/entries/${entry.body.id}/approve`, {});
    if (approved.status !== 200) return approved.status;
    const ids = (approved.body.actuals as { id: string }[]).map((a) => a.id);
    return (await s.request('POST', '/backlog/time-and-material/mark-ready', { ids })).status;
  }
  const live = async () =>
    (
      (await s.request('GET', `/backlog/time-and-material?contractId=${c.id}&limit=500`)).body
        ?.items ?? []
    ).map((a: { id: string }) => a.id) as string[];
  const drafts = async () =>
    ((await s.request('GET', `/invoices?contractId=${c.id}&status=Draft&limit=100`)).body?.items ??
      []) as { id: string; lines: { details: { id: string }[] }[] }[];
  const roll = r();
  if (roll < 0.2)
    return (await s.request('POST', '/backlog/time-and-material/mark-ready', { ids: await live() }))
      .status;
  if (roll < 0.27) {
    const ids = (await live()).filter(() => r() < 0.3);
    return ids.length
      ? (await s.request('POST', '/backlog/time-and-material/mark-not-ready', { ids })).status
      : 200;
  }
  if (roll < 0.45)
    return (await s.request('POST', '/invoices', { contractId: c.id, invoiceDate: '2026-12-31' }))
      .status;
  if (roll < 0.6) {
    const d = await drafts();
    const pick = d[Math.floor(r() * d.length)];
    options.critical?.();
    return pick ? (await s.request('POST', `/invoices/${pick.id}/confirm`)).status : 200;
  }
  if (roll < 0.7) {
    const d = await drafts();
    if (d.length) options.critical?.();
    return d.length
      ? (await s.request('POST', '/invoices/confirm', { ids: d.map((x) => x.id) })).status
      : 200;
  }
  if (roll < 0.82) options.critical?.();
  if (roll < 0.82)
    return (
      await s.request('POST', '/invoice-runs', { runDate: '2026-04-30', contractIds: [c.id] })
    ).status;
  if (roll < 0.88) {
    const d = await drafts();
    const pick = d[Math.floor(r() * d.length)];
    return pick ? (await s.request('DELETE', `/invoices/${pick.id}`)).status : 200;
  }
  if (roll < 0.93) {
    const d = await drafts();
    const pick = d[Math.floor(r() * d.length)];
    const detail = pick?.lines.flatMap((l) => l.details)[0];
    return detail
      ? (await s.request('DELETE', `/invoices/${pick!.id}/details/${detail.id}`)).status
      : 200;
  }
  const e = c.entries[Math.floor(r() * c.entries.length)]!;
  const cancelled = await s.request('POST', `/entries/${e}/cancel-approval`, {});
  if (cancelled.status !== 200) return cancelled.status;
  // R16: a cancelled entry is final; the work comes back as a new entry, approved at once.
  const again = await s.request('POST', '/entries', {
    contractLineId: c.lineId,
    transactionClass: 'Time',
    date: '2026-03-15',
    quantity: '2.25',
    unitPrice: '123.45',
  });
  if (again.status !== 201) return again.status;
  c.entries.push(again.body.id);
  return (await s.request('POST', `/entries/${again.body.id}/approve`, {})).status;
}

/** A small seeded generator, so a failing race can be replayed with its seed. */
export function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}
