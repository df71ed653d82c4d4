/**
 * Approving entries (R10, R11, R14, R3, R20–R23, R35), any number at once, set-based: one
 * transaction locks the contracts (in id order) and then their entries (in id order), loads
 * the contracts with their lines and customers once, plans every entry in memory through the
 * pure domain functions, and writes with a few multi-row statements. Single approval is the
 * same code with one entry (`approveEntry`).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { planApprovalActuals } from '../domain/approval.js';
import { entryTransition } from '../domain/entries.js';
import { DomainError, invalid, invalidTransition, notFound } from '../domain/errors.js';
import {
  currencyExponent,
  formatDecimal,
  MAX_AMOUNT_DIGITS,
  parseDecimal,
  pow10,
  QUANTITY_SCALE,
  UNIT_PRICE_SCALE,
} from '../domain/money.js';
import { assessInOrder, NteBook } from '../domain/nte.js';
import { insertActuals, type ActualWithCurrency, type NewActual } from '../repositories/actuals.js';
import { recordAudit, type AuditEvent } from '../repositories/audit.js';
import { loadContracts, lockContractRows } from '../repositories/contracts.js';
import {
  contractIdsOfEntries,
  lockEntries,
  markEntriesApproved,
  type ApprovedEntry,
  type EntryRow,
} from '../repositories/entries.js';
import { loadNteBooks, nteKeysOf } from '../repositories/nte.js';
import { failed, succeeded, type BulkResult } from './bulk.js';
import type { CommandContext } from './context.js';

export interface ApproveEntryInput {
  entryId: string;
  /** Decimal text, validated by the request schema. */
  billableQuantity?: string;
}

export interface ApprovalResult {
  entry: EntryRow;
  actuals: ActualWithCurrency[];
}

export type ApprovalOutcome =
  { ok: true; result: ApprovalResult } | { ok: false; error: DomainError };

const units = (text: string, scale: number): bigint => {
  const v = parseDecimal(text, scale, 18);
  if (v === null) throw new Error(`stored decimal ${text} does not fit scale ${scale}`);
  return v;
};

const byId = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

const alreadyApproved = (entryId: string) =>
  invalidTransition(`entry ${entryId} is Approved; only a Submitted entry can be approved`);

interface Planned {
  entry: EntryRow;
  billableQuantity: string | null;
  rows: NewActual[];
}

/**
 * Approves the entries named, inside the caller's transaction, and answers one outcome per
 * input in the order given. An entry that cannot be approved (unknown, not Submitted, line
 * gone) is that input's failure and changes nothing; the others are approved. A repeated id
 * is approved at its first place and refused (INVALID_TRANSITION) at the later ones, as if
 * the inputs ran one after another.
 *
 * NTE (R21, R23): each contract's entries are assessed in entry-id order (creation order),
 * whatever the order of the inputs, each seeing what the ones before it committed.
 */
export async function approveEntries(
  ctx: CommandContext,
  inputs: readonly ApproveEntryInput[],
  /** Entry id → contract id when the caller has read it already (an entry never moves). */
  knownContracts?: ReadonlyMap<string, string>,
): Promise<ApprovalOutcome[]> {
  const first = new Map<string, ApproveEntryInput>();
  for (const input of inputs) if (!first.has(input.entryId)) first.set(input.entryId, input);

  const contractOf = knownContracts
    ? new Map(
        [...first.keys()].flatMap((id) =>
          knownContracts.has(id) ? [[id, knownContracts.get(id)!] as const] : [],
        ),
      )
    : await contractIdsOfEntries(ctx.db, [...first.keys()]);
  // Lock order, as in every command: the contract rows (in id order) before their entries.
  // The contract lock also queues every other change to the contract's NTE usage (R21).
  const contracts = await lockContractRows(ctx.db, [...contractOf.values()]);
  const entries = await lockEntries(
    ctx.db,
    contracts.map((c) => c.id),
    [...contractOf.keys()],
  );
  const records = new Map((await loadContracts(ctx.db, contracts)).map((r) => [r.contract.id, r]));
  const books = await loadNteBooks(ctx.db, [...records.values()]);

  const decided = new Map<string, DomainError | Planned>();
  // `entries` comes in id order: the order NTE consumption follows.
  for (const entry of entries) {
    const input = first.get(entry.id);
    const record = records.get(entry.contract_id);
    if (!input || !record) continue;
    // R14, R16: only a Submitted entry; a Rejected or Cancelled one never again.
    const move = entryTransition('approve', entry);
    if ('refusal' in move) {
      decided.set(entry.id, invalidTransition(move.refusal));
      continue;
    }
    const line = record.lines.find((l) => l.line.id === entry.contract_line_id);
    if (!line) {
      decided.set(
        entry.id,
        new DomainError('NOT_FOUND', `contract line of entry ${entry.id} is gone`),
      );
      continue;
    }
    const billable =
      input.billableQuantity === undefined
        ? undefined
        : units(input.billableQuantity, QUANTITY_SCALE);
    // R10: fixed-price revenue is billed through milestones, so no sales actual here.
    const planned =
      line.line.billing_method === 'TimeAndMaterial'
        ? planApprovalActuals({
            quantity: units(entry.quantity, QUANTITY_SCALE),
            billableQuantity: billable,
            unitPrice: units(entry.unit_price, UNIT_PRICE_SCALE),
            exponent: currencyExponent(record.contract.currency),
            shares: line.customers.map((lc) => ({
              lineCustomerId: lc.id,
              customerId: lc.customer_id,
              percent: units(lc.split_percent, 2),
              isRounding: lc.is_rounding,
            })),
          })
        : [];
    // Quantity and unit price are each valid on their own, but their product can pass what
    // an amount may hold (and PostgreSQL's bigint): refused for this entry, like a draft edit.
    const total = planned.reduce((sum, p) => sum + p.amount, 0n);
    if (total >= pow10(MAX_AMOUNT_DIGITS)) {
      decided.set(
        entry.id,
        invalid(
          input.billableQuantity === undefined ? 'quantity' : 'billableQuantity',
          `entry ${entry.id}: quantity × unit price makes an amount too large (more than ${MAX_AMOUNT_DIGITS} digits in minor units)`,
        ),
      );
      continue;
    }
    // R23: evaluated as the actuals are created, against the book as the entries before
    // this one left it; a failure never blocks the approval.
    const { outcomes, book } = assessInOrder(
      books.get(record.contract.id) ?? NteBook.of({ limits: [] }),
      planned.map((p) => ({
        keys: nteKeysOf({
          contractId: record.contract.id,
          contractLineId: line.line.id,
          lineCustomerId: p.lineCustomerId,
          customerId: p.customerId,
        }),
        billingType: p.billingType,
        amount: p.amount,
      })),
    );
    books.set(record.contract.id, book);
    decided.set(entry.id, {
      entry,
      billableQuantity: billable === undefined ? null : formatDecimal(billable, QUANTITY_SCALE),
      rows: planned.map((p, i) => ({
        contract_id: record.contract.id,
        type: 'UnbilledSales' as const,
        entry_id: entry.id,
        contract_line_id: line.line.id,
        line_customer_id: p.lineCustomerId,
        customer_id: p.customerId,
        transaction_class: entry.transaction_class,
        date: entry.date,
        quantity: formatDecimal(p.quantity, QUANTITY_SCALE),
        unit_price: entry.unit_price,
        amount: p.amount,
        billing_type: p.billingType,
        billing_status: 'UnbilledSalesCreated' as const,
        nte_status: outcomes[i]?.status ?? 'NotApplicable',
        nte_failed_level: outcomes[i]?.failedLevel ?? null,
      })),
    });
  }

  const toWrite = [...decided.values()].filter((d): d is Planned => !(d instanceof DomainError));
  const results = await writeApprovals(
    ctx,
    toWrite,
    (id) => records.get(id)?.contract.currency ?? 'USD',
  );

  const answered = new Set<string>();
  return inputs.map((input): ApprovalOutcome => {
    const id = input.entryId;
    const repeated = answered.has(id);
    answered.add(id);
    const result = results.get(id);
    if (result) return repeated ? { ok: false, error: alreadyApproved(id) } : { ok: true, result };
    const d = decided.get(id);
    return { ok: false, error: d instanceof DomainError ? d : notFound('entry', id) };
  });
}

/** The writes, set-based: the actuals, the entries, the audit trail (R35). */
async function writeApprovals(
  ctx: CommandContext,
  planned: readonly Planned[],
  currencyOf: (contractId: string) => string,
): Promise<Map<string, ApprovalResult>> {
  const out = new Map<string, ApprovalResult>();
  if (planned.length === 0) return out;
  const inserted = await insertActuals(
    ctx.db,
    planned.flatMap((p) => p.rows),
  );
  const actualsOf = new Map<string, ActualWithCurrency[]>();
  for (const a of inserted) {
    const list = actualsOf.get(a.entry_id ?? '') ?? [];
    list.push({ ...a, currency: currencyOf(a.contract_id) });
    actualsOf.set(a.entry_id ?? '', list);
  }
  for (const list of actualsOf.values()) list.sort((a, b) => byId(a.id, b.id));

  const approvedRows = await markEntriesApproved(
    ctx.db,
    planned.map((p): ApprovedEntry => ({
      contractId: p.entry.contract_id,
      id: p.entry.id,
      billableQuantity: p.billableQuantity,
    })),
    new Date(),
  );
  const approved = new Map(approvedRows.map((e) => [e.id, e]));

  const events: AuditEvent[] = [];
  for (const { entry } of planned) {
    const contractId = entry.contract_id;
    const actuals = actualsOf.get(entry.id) ?? [];
    events.push(
      {
        actor: ctx.actor,
        action: 'approveEntry',
        entityType: 'Entry',
        entityId: entry.id,
        contractId,
        from: 'Submitted',
        to: 'Approved',
      },
      ...actuals.map((a) => ({
        actor: ctx.actor,
        action: 'approveEntry',
        entityType: 'Actual',
        entityId: a.id,
        contractId,
        from: null,
        to: 'UnbilledSalesCreated',
      })),
      // R35: the NTE status an evaluation gave (R23); NotApplicable is no evaluation.
      ...actuals
        .filter((a) => a.nte_status === 'Committed' || a.nte_status === 'Failed')
        .map((a) => ({
          actor: ctx.actor,
          action: 'assessNte',
          entityType: 'Actual',
          entityId: a.id,
          contractId,
          from: null,
          to: a.nte_status,
        })),
    );
    const row = approved.get(entry.id);
    // Locked and Submitted a moment ago in this transaction: the update cannot miss it.
    if (!row) throw new Error(`entry ${entry.id} was not updated`);
    out.set(entry.id, { entry: row, actuals });
  }
  await recordAudit(ctx.db, events);
  return out;
}

/** The most entries one bulk transaction takes (whole contracts; a larger contract goes alone). */
export const ENTRIES_PER_TRANSACTION = 1000;

export interface BulkApprovalOptions {
  /** Told about an entry that failed for a reason other than a rule (a server error). */
  onServerError?: (entryId: string, error: unknown) => void;
  entriesPerTransaction?: number;
}

/**
 * `POST /entries/approve`: the ids grouped by contract, contracts in id order, whole
 * contracts batched up to ENTRIES_PER_TRANSACTION entries, one transaction per batch.
 * Answers per id in the order given (spec §5).
 *
 * Rule failures (NOT_FOUND, INVALID_TRANSITION) are planned out before anything is written,
 * so they never take the others down. A batch that fails at the database (after the
 * deadlock/serialization retries) rolls back as a whole and is redone contract by contract,
 * then entry by entry, so only the entry that really fails is answered `ok: false` with code
 * `INTERNAL` (and reported through `onServerError`); every other entry is approved.
 */
export async function bulkApproveEntries(
  db: Kysely<DB>,
  actor: string,
  ids: readonly string[],
  opts: BulkApprovalOptions = {},
): Promise<BulkResult[]> {
  const perTransaction = Math.max(1, opts.entriesPerTransaction ?? ENTRIES_PER_TRANSACTION);
  const contractOf = await contractIdsOfEntries(db, ids);
  const results: (BulkResult | undefined)[] = ids.map((id) =>
    contractOf.has(id) ? undefined : failed(id, 'NOT_FOUND', notFound('entry', id).message),
  );

  // Positions of each known id, grouped by contract.
  const byContract = new Map<string, Map<string, number[]>>();
  ids.forEach((id, position) => {
    const contractId = contractOf.get(id);
    if (contractId === undefined) return;
    const entries = byContract.get(contractId) ?? new Map<string, number[]>();
    entries.set(id, [...(entries.get(id) ?? []), position]);
    byContract.set(contractId, entries);
  });

  // A contract group: per entry of one contract, the entry's positions in `ids`.
  type ContractGroup = number[][];
  const batches: ContractGroup[][] = [];
  let current: ContractGroup[] = [];
  let size = 0;
  for (const contractId of [...byContract.keys()].sort(byId)) {
    const entries = [...byContract.get(contractId)!.values()];
    if (size > 0 && size + entries.length > perTransaction) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(entries);
    size += entries.length;
  }
  if (current.length > 0) batches.push(current);

  const run = async (contracts: ContractGroup[]): Promise<void> => {
    const positions = contracts.flat(2).sort((a, b) => a - b);
    try {
      const outcomes = await inTransaction(db, (trx) =>
        approveEntries(
          { db: trx, actor },
          positions.map((p) => ({ entryId: ids[p]! })),
          contractOf,
        ),
      );
      positions.forEach((p, i) => {
        const o = outcomes[i]!;
        results[p] = o.ok
          ? succeeded(ids[p]!, 'Approved')
          : failed(ids[p]!, o.error.code, o.error.message);
      });
    } catch (error) {
      // Isolate what fails: contract by contract, then entry by entry.
      if (contracts.length > 1) {
        for (const c of contracts) await run([c]);
      } else if (contracts[0]!.length > 1) {
        for (const entry of contracts[0]!) await run([[entry]]);
      } else {
        const id = ids[positions[0]!]!;
        // A rule thrown rather than planned (e.g. an unknown stored currency) keeps its code.
        const answer =
          error instanceof DomainError
            ? failed(id, error.code, error.message)
            : failed(
                id,
                'INTERNAL',
                'the entry could not be approved because of a server error; nothing was written for it',
              );
        if (!(error instanceof DomainError)) opts.onServerError?.(id, error);
        for (const p of positions) results[p] = answer;
      }
    }
  };
  for (const batch of batches) await run(batch);
  return results.map((r, i) => r ?? failed(ids[i]!, 'INTERNAL', 'the entry was not processed'));
}
