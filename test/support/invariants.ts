/**
 * The money invariants (issues 10 and 14), read from the real tables. `checkInvariants(db)` answers
 * every violation it finds as a sentence; an empty list means no money was lost or
 * duplicated. Used after every step of the property suite, after the concurrency race and
 * after every crash. It reads only: the one write (the R-ledger trigger probe) is rolled back.
 *
 * Amounts are compared as bigint minor units; every value is read as text so the embedded
 * and the server database answer alike.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.js';
import { planApprovalActuals } from '../../src/domain/approval.js';
import {
  currencyExponent,
  extendAmount,
  parseDecimal,
  QUANTITY_SCALE,
  UNIT_PRICE_SCALE,
} from '../../src/domain/money.js';
import { billablePortions } from '../../src/domain/approval.js';
import { loadContract } from '../../src/repositories/contracts.js';

const units = (text: string, scale: number): bigint => {
  const v = parseDecimal(text, scale, 24);
  if (v === null) throw new Error(`not a decimal at scale ${scale}: ${text}`);
  return v;
};
const qty = (text: string) =>
  units(text.startsWith('-') ? text.slice(1) : text, QUANTITY_SCALE) *
  (text.startsWith('-') ? -1n : 1n);

async function rows<T>(db: Kysely<DB>, query: ReturnType<typeof sql>): Promise<T[]> {
  return (await query.execute(db)).rows as T[];
}

async function tableExists(db: Kysely<DB>, name: string): Promise<boolean> {
  const r = await rows<{ n: string }>(
    db,
    sql`SELECT count(*)::text AS n FROM information_schema.tables WHERE table_name = ${name}`,
  );
  return r[0]?.n !== '0';
}

/**
 * Every violation, read in one REPEATABLE READ snapshot so the check is exact even while
 * other processes keep writing (the crash test checks between bursts of live traffic).
 */
export async function checkInvariants(db: Kysely<DB>): Promise<string[]> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute((trx) => collect(trx));
}

async function collect(db: Kysely<DB>): Promise<string[]> {
  const v: string[] = [];
  const hasInvoices = await tableExists(db, 'invoice_details');
  const hasMilestones = await tableExists(db, 'milestone_splits');

  // --- 1. R3/R10/R11: the live actuals of each approval are exactly its planned split. ----
  // Approval rows are the actuals the approval itself wrote (audited `approveEntry`); rows
  // a correction returns to the backlog are audited otherwise and not part of the split.
  const entries = await rows<{
    contract_id: string;
    id: string;
    contract_line_id: string;
    quantity: string;
    unit_price: string;
    billable_quantity: string | null;
    status: string;
    billing_method: string;
  }>(
    db,
    sql`SELECT e.contract_id::text, e.id::text, e.contract_line_id::text, e.quantity::text, e.unit_price::text,
               e.billable_quantity::text, e.status, l.billing_method
          FROM entries e JOIN contract_lines l ON l.contract_id = e.contract_id AND l.id = e.contract_line_id`,
  );
  const approvalActuals = await rows<{
    entry_id: string;
    line_customer_id: string;
    billing_type: string;
    quantity: string;
    amount: string;
  }>(
    db,
    sql`SELECT a.entry_id::text, a.line_customer_id::text, a.billing_type, a.quantity::text, a.amount::text
          FROM actuals a
         WHERE a.type = 'UnbilledSales' AND a.reverses_id IS NULL AND a.adjusted = false
           AND a.entry_id IS NOT NULL
           AND EXISTS (SELECT 1 FROM audit_events ev WHERE ev.entity_type = 'Actual'
                        AND ev.entity_id = a.id::text AND ev.action = 'approveEntry')`,
  );
  const byEntry = new Map<string, typeof approvalActuals>();
  for (const a of approvalActuals) byEntry.set(a.entry_id, [...(byEntry.get(a.entry_id) ?? []), a]);
  const contracts = new Map<string, Awaited<ReturnType<typeof loadContract>>>();
  const contractOf = async (id: string) => {
    if (!contracts.has(id)) contracts.set(id, await loadContract(db, id));
    return contracts.get(id);
  };
  /** Per contract: what approvals put into the ledger (all billing types). */
  const approvedTotal = new Map<string, bigint>();
  for (const e of entries) {
    const live = byEntry.get(e.id) ?? [];
    if (e.status !== 'Approved' || e.billing_method !== 'TimeAndMaterial') {
      if (live.length > 0)
        v.push(
          `entry ${e.id} (${e.status}, ${e.billing_method}) has ${live.length} live approval actuals`,
        );
      continue;
    }
    const contract = await contractOf(e.contract_id);
    const line = contract?.lines.find((l) => l.line.id === e.contract_line_id);
    if (!contract || !line) {
      v.push(`entry ${e.id}: contract line ${e.contract_line_id} missing`);
      continue;
    }
    const exponent = currencyExponent(contract.contract.currency);
    const quantity = units(e.quantity, QUANTITY_SCALE);
    const billable =
      e.billable_quantity === null ? undefined : units(e.billable_quantity, QUANTITY_SCALE);
    const unitPrice = units(e.unit_price, UNIT_PRICE_SCALE);
    const planned = planApprovalActuals({
      quantity,
      billableQuantity: billable,
      unitPrice,
      exponent,
      shares: line.customers.map((lc) => ({
        lineCustomerId: lc.id,
        customerId: lc.customer_id,
        percent: units(lc.split_percent, 2),
        isRounding: lc.is_rounding,
      })),
    });
    // Each portion's parts sum to quantity × unit price, rounded (R3, R11).
    for (const portion of billablePortions(quantity, billable)) {
      const whole = extendAmount(portion.quantity, unitPrice, exponent);
      const parts = live.filter((a) => a.billing_type === portion.billingType);
      const sum = parts.reduce((s, a) => s + BigInt(a.amount), 0n);
      const qsum = parts.reduce((s, a) => s + qty(a.quantity), 0n);
      if (sum !== whole)
        v.push(`entry ${e.id} ${portion.billingType}: actuals sum to ${sum}, expected ${whole}`);
      if (qsum !== portion.quantity)
        v.push(
          `entry ${e.id} ${portion.billingType}: quantities sum to ${qsum}, expected ${portion.quantity}`,
        );
      approvedTotal.set(e.contract_id, (approvedTotal.get(e.contract_id) ?? 0n) + whole);
    }
    const key = (x: {
      lineCustomerId: string;
      billingType: string;
      quantity: bigint;
      amount: bigint;
    }) => `${x.lineCustomerId}/${x.billingType}/${x.quantity}/${x.amount}`;
    const want = planned.map(key).sort().join(' ');
    const got = live
      .map((a) =>
        key({
          lineCustomerId: a.line_customer_id,
          billingType: a.billing_type,
          quantity: qty(a.quantity),
          amount: BigInt(a.amount),
        }),
      )
      .sort()
      .join(' ');
    if (want !== got) v.push(`entry ${e.id}: split ${got} differs from the planned ${want}`);
  }

  // --- 2. Ledger shape: every reversal reverses a row of its own type with the negated
  //        amount; a posted row is reversed, a live backlog row is not. -----------------------
  const badReversals = await rows<{ id: string }>(
    db,
    sql`SELECT r.id::text FROM actuals r JOIN actuals o ON o.contract_id = r.contract_id AND o.id = r.reverses_id
         WHERE r.type <> o.type OR r.amount <> -o.amount OR r.quantity <> -o.quantity OR o.reverses_id IS NOT NULL`,
  );
  for (const r of badReversals) v.push(`reversal ${r.id} does not mirror the row it reverses`);
  const statusVsReversal = await rows<{
    id: string;
    billing_status: string;
    reversed: boolean;
    adjusted: boolean;
  }>(
    db,
    sql`SELECT o.id::text, o.billing_status, o.adjusted,
               EXISTS (SELECT 1 FROM actuals r WHERE r.contract_id = o.contract_id AND r.reverses_id = o.id) AS reversed
          FROM actuals o WHERE o.type = 'UnbilledSales' AND o.reverses_id IS NULL`,
  );
  for (const r of statusVsReversal) {
    const shouldBeReversed = r.adjusted || r.billing_status === 'CustomerInvoicePosted';
    if (r.reversed !== shouldBeReversed) {
      v.push(
        `unbilled actual ${r.id} (${r.billing_status}, adjusted ${r.adjusted}) is ${r.reversed ? '' : 'not '}reversed`,
      );
    }
  }

  // --- 3. Per contract: approved = live unbilled backlog + billed − credited (+ quantity
  //        increases made on invoice drafts, which bill more than was approved, R62). Billed
  //        counts the T&M rows only (source Actual): milestone, retainer and draw rows (R68)
  //        are not approved work. -------------------------------------------------------------
  const ledger = await rows<{
    contract_id: string;
    unbilled: string;
    live: string;
    billed: string;
  }>(
    db,
    sql`SELECT c.id::text AS contract_id,
               COALESCE((SELECT sum(amount) FROM actuals a WHERE a.contract_id = c.id AND a.type = 'UnbilledSales'), 0)::text AS unbilled,
               COALESCE((SELECT sum(amount) FROM actuals a WHERE a.contract_id = c.id AND a.type = 'UnbilledSales'
                          AND a.reverses_id IS NULL AND a.adjusted = false
                          AND a.billing_status IN ('UnbilledSalesCreated','NotReadyToInvoice','ReadyToInvoice','CustomerInvoiceCreated')), 0)::text AS live,
               COALESCE((SELECT sum(amount) FROM actuals a WHERE a.contract_id = c.id AND a.type = 'BilledSales'
                          AND a.source_type = 'Actual'), 0)::text AS billed
          FROM contracts c`,
  );
  const increases = new Map<string, bigint>();
  if (hasInvoices) {
    const inc = await rows<{ contract_id: string; extra: string }>(
      db,
      sql`SELECT d.contract_id::text, sum(d.amount - d.original_amount)::text AS extra
            FROM invoice_details d JOIN invoices i ON i.contract_id = d.contract_id AND i.id = d.invoice_id
           WHERE i.status = 'Confirmed' AND d.kind = 'charge' AND d.source_type = 'Actual'
             AND d.removed_at IS NULL AND d.quantity > d.original_quantity
           GROUP BY d.contract_id`,
    );
    for (const r of inc) increases.set(r.contract_id, BigInt(r.extra));
  }
  for (const r of ledger) {
    const unbilled = BigInt(r.unbilled);
    const live = BigInt(r.live);
    const billed = BigInt(r.billed);
    if (unbilled !== live)
      v.push(
        `contract ${r.contract_id}: unbilled ledger nets to ${unbilled} but the live backlog holds ${live}`,
      );
    const approved = approvedTotal.get(r.contract_id) ?? 0n;
    const extra = increases.get(r.contract_id) ?? 0n;
    if (approved + extra !== live + billed) {
      v.push(
        `contract ${r.contract_id}: approved ${approved} + increases ${extra} ≠ live backlog ${live} + billed net of credits ${billed}`,
      );
    }
  }

  // --- 4. R21: at every level with a limit, what Committed work consumes stays within it.
  // Only Committed actuals count (R21, R25): their approved amount while unbilled or on a
  // draft, and once posted, less what corrections credited back. Work that was reset to
  // NotEvaluated (R25) or is NotApplicable may be invoiced without consuming the cap, and a
  // draft quantity increase (R62) is billed without an NTE check, so neither counts here.
  const credited = hasInvoices
    ? sql`(SELECT sum(c.amount) FROM invoice_details c JOIN invoices i ON i.contract_id = c.contract_id AND i.id = c.invoice_id
            WHERE c.contract_id = a.contract_id AND c.source_type = 'Actual' AND c.source_id = a.id
              AND c.kind = 'credit' AND i.status = 'Confirmed' AND c.billing_type = 'Chargeable')`
    : sql`0`;
  const usage = await rows<{
    contract_id: string;
    contract_line_id: string;
    line_customer_id: string;
    customer_id: string;
    amount: string;
  }>(
    db,
    sql`SELECT a.contract_id::text, a.contract_line_id::text, a.line_customer_id::text, a.customer_id::text,
               (sum(a.amount) + COALESCE(sum(${credited}), 0))::text AS amount
          FROM actuals a JOIN contract_lines l ON l.contract_id = a.contract_id AND l.id = a.contract_line_id
         WHERE a.billing_type = 'Chargeable' AND l.billing_method = 'TimeAndMaterial' AND a.type = 'UnbilledSales'
           AND a.nte_status = 'Committed' AND a.reverses_id IS NULL AND a.adjusted = false AND a.billing_status IS NOT NULL
         GROUP BY 1, 2, 3, 4`,
  );
  const used = new Map<string, bigint>();
  for (const u of usage) {
    const amount = BigInt(u.amount);
    for (const k of [
      `Contract:${u.contract_id}`,
      `ContractCustomer:${u.contract_id}:${u.customer_id}`,
      `ContractLine:${u.contract_line_id}`,
      `LineCustomer:${u.line_customer_id}`,
    ]) {
      used.set(k, (used.get(k) ?? 0n) + amount);
    }
  }
  const limits = await rows<{ k: string; nte_limit: string }>(
    db,
    sql`SELECT 'Contract:' || id AS k, nte_limit::text FROM contracts WHERE nte_limit IS NOT NULL
        UNION ALL SELECT 'ContractCustomer:' || contract_id || ':' || customer_id, nte_limit::text FROM contract_customers WHERE nte_limit IS NOT NULL
        UNION ALL SELECT 'ContractLine:' || id, nte_limit::text FROM contract_lines WHERE nte_limit IS NOT NULL
        UNION ALL SELECT 'LineCustomer:' || id, nte_limit::text FROM line_customers WHERE nte_limit IS NOT NULL`,
  );
  for (const l of limits) {
    const u = used.get(l.k) ?? 0n;
    if (u > BigInt(l.nte_limit))
      v.push(`NTE ${l.k}: committed + invoiced ${u} exceeds the limit ${l.nte_limit}`);
  }

  // --- 5. Milestones (R41): splits sum to their milestone. --------------------------------
  if (hasMilestones) {
    const ms = await rows<{ id: string; amount: string; total: string | null }>(
      db,
      sql`SELECT m.id::text, m.amount::text,
                 (SELECT sum(s.amount) FROM milestone_splits s WHERE s.contract_id = m.contract_id AND s.milestone_id = m.id)::text AS total
            FROM milestones m`,
    );
    for (const m of ms)
      if (m.total !== m.amount)
        v.push(`milestone ${m.id}: splits sum to ${m.total} not ${m.amount}`);
  }

  if (hasInvoices) {
    // --- 6. R67: no item on two active charge details; statuses agree with the invoices. --
    // A posted actual stays posted when a correction credits it (R65): its detail's claim is
    // released but the detail stays on its confirmed invoice, and the credited quantity
    // returns as a new unbilled actual.
    const dup = await rows<{ source_type: string; source_id: string; n: string }>(
      db,
      sql`SELECT source_type, source_id::text, count(*)::text AS n FROM invoice_details
           WHERE active AND kind = 'charge' GROUP BY contract_id, source_type, source_id HAVING count(*) > 1`,
    );
    for (const d of dup)
      v.push(`${d.source_type} ${d.source_id} is on ${d.n} active charge details`);
    const itemStatus = await rows<{
      id: string;
      billing_status: string;
      drafts: string;
      confirmed: string;
    }>(
      db,
      sql`SELECT a.id::text, a.billing_status,
                 (SELECT count(*) FROM invoice_details d JOIN invoices i ON i.contract_id = d.contract_id AND i.id = d.invoice_id
                   WHERE d.contract_id = a.contract_id AND d.source_type = 'Actual' AND d.source_id = a.id
                     AND d.active AND d.kind = 'charge' AND i.status = 'Draft')::text AS drafts,
                 (SELECT count(*) FROM invoice_details d JOIN invoices i ON i.contract_id = d.contract_id AND i.id = d.invoice_id
                   WHERE d.contract_id = a.contract_id AND d.source_type = 'Actual' AND d.source_id = a.id
                     AND d.removed_at IS NULL AND d.kind = 'charge' AND i.status = 'Confirmed')::text AS confirmed
            FROM actuals a WHERE a.type = 'UnbilledSales' AND a.reverses_id IS NULL AND a.adjusted = false
             AND a.billing_status IS NOT NULL`,
    );
    for (const a of itemStatus) {
      const expected =
        a.drafts === '1'
          ? 'CustomerInvoiceCreated'
          : a.confirmed === '1'
            ? 'CustomerInvoicePosted'
            : null;
      const onInvoice =
        a.billing_status === 'CustomerInvoiceCreated' ||
        a.billing_status === 'CustomerInvoicePosted';
      if (expected === null ? onInvoice : a.billing_status !== expected) {
        v.push(
          `actual ${a.id} is ${a.billing_status} but on ${a.drafts} draft and ${a.confirmed} confirmed active details`,
        );
      }
    }

    if (hasMilestones) {
      const splitStatus = await rows<{
        id: string;
        billing_status: string;
        invoice_id: string | null;
        drafts: string;
        confirmed: string;
        on: string | null;
      }>(
        db,
        sql`SELECT s.id::text, s.billing_status, s.invoice_id::text,
                   count(*) FILTER (WHERE i.status = 'Draft')::text AS drafts,
                   count(*) FILTER (WHERE i.status = 'Confirmed')::text AS confirmed,
                   min(i.id)::text AS on
              FROM milestone_splits s
              LEFT JOIN invoice_details d ON d.contract_id = s.contract_id AND d.source_type = 'MilestoneSplit'
                   AND d.source_id = s.id AND d.active AND d.kind = 'charge'
              LEFT JOIN invoices i ON i.contract_id = d.contract_id AND i.id = d.invoice_id
             GROUP BY s.id, s.billing_status, s.invoice_id`,
      );
      for (const s of splitStatus) {
        const expected =
          s.drafts === '1'
            ? 'CustomerInvoiceCreated'
            : s.confirmed === '1'
              ? 'CustomerInvoicePosted'
              : null;
        const onInvoice =
          s.billing_status === 'CustomerInvoiceCreated' ||
          s.billing_status === 'CustomerInvoicePosted';
        if (
          (expected === null ? onInvoice : s.billing_status !== expected) ||
          (expected !== null && s.invoice_id !== s.on)
        ) {
          v.push(
            `milestone split ${s.id} is ${s.billing_status} (invoice ${s.invoice_id}) but on ${s.drafts} draft and ${s.confirmed} confirmed active details`,
          );
        }
      }
    }

    // --- 7. R63: numbers unique and gapless; exactly the confirmed invoices have one. ------
    const numbers = await rows<{
      number: string;
      contract_id: string;
      invoice_id: string;
      inv_number: string | null;
      status: string | null;
    }>(
      db,
      sql`SELECT n.number::text, n.contract_id::text, n.invoice_id::text, i.number AS inv_number, i.status
            FROM invoice_numbers n LEFT JOIN invoices i ON i.contract_id = n.contract_id AND i.id = n.invoice_id
           ORDER BY n.number`,
    );
    numbers.forEach((n, i) => {
      if (BigInt(n.number) !== BigInt(i + 1))
        v.push(`invoice number ${n.number} at position ${i + 1}: the sequence has a gap`);
      if (
        n.status !== 'Confirmed' ||
        n.inv_number === null ||
        BigInt(n.inv_number.replace(/\D/g, '')) !== BigInt(n.number)
      ) {
        v.push(
          `invoice number ${n.number} names invoice ${n.invoice_id} which is ${n.status} numbered ${n.inv_number}`,
        );
      }
    });
    const counter = await rows<{ next: string }>(
      db,
      sql`SELECT next::text FROM invoice_counters WHERE name = 'invoice'`,
    );
    if (counter[0] && BigInt(counter[0].next) !== BigInt(numbers.length + 1)) {
      v.push(`invoice counter is at ${counter[0].next} but ${numbers.length} numbers were issued`);
    }
    const confirmed = await rows<{ n: string; distinct_numbers: string }>(
      db,
      sql`SELECT count(*)::text AS n, count(DISTINCT number)::text AS distinct_numbers FROM invoices WHERE status = 'Confirmed'`,
    );
    if (
      confirmed[0] &&
      (confirmed[0].n !== String(numbers.length) ||
        confirmed[0].distinct_numbers !== confirmed[0].n)
    ) {
      v.push(
        `${confirmed[0].n} confirmed invoices, ${confirmed[0].distinct_numbers} distinct numbers, ${numbers.length} registered`,
      );
    }

    // --- 8. R61/R63: a confirmed invoice's chargeable T&M details equal its chargeable T&M
    //        ledger rows (the whole invoice, every kind of detail and draw: R68 below). -----
    const totals = await rows<{ id: string; details: string; ledger: string }>(
      db,
      sql`SELECT i.id::text,
                 COALESCE((SELECT sum(d.amount) FROM invoice_details d WHERE d.contract_id = i.contract_id AND d.invoice_id = i.id
                           AND d.source_type = 'Actual' AND d.removed_at IS NULL AND d.billing_type = 'Chargeable'), 0)::text AS details,
                 COALESCE((SELECT sum(a.amount) FROM actuals a WHERE a.contract_id = i.contract_id AND a.invoice_id = i.id
                           AND a.type = 'BilledSales' AND a.billing_type = 'Chargeable' AND a.source_type = 'Actual'), 0)::text AS ledger
            FROM invoices i WHERE i.status = 'Confirmed'`,
    );
    for (const t of totals)
      if (t.details !== t.ledger)
        v.push(`invoice ${t.id}: chargeable details ${t.details} ≠ BilledSales ${t.ledger}`);
    const draftLedger = await rows<{ id: string }>(
      db,
      sql`SELECT DISTINCT a.invoice_id::text AS id FROM actuals a JOIN invoices i ON i.contract_id = a.contract_id AND i.id = a.invoice_id
           WHERE i.status = 'Draft'`,
    );
    for (const d of draftLedger) v.push(`draft invoice ${d.id} already has ledger rows`);
    const emptyConfirmed = await rows<{ id: string }>(
      db,
      sql`SELECT i.id::text FROM invoices i WHERE i.status = 'Confirmed' AND NOT EXISTS
            (SELECT 1 FROM invoice_details d WHERE d.contract_id = i.contract_id AND d.invoice_id = i.id AND d.removed_at IS NULL)`,
    );
    for (const d of emptyConfirmed) v.push(`confirmed invoice ${d.id} has no details`);
  }

  // --- 10. §5 totals: the running totals of the T&M backlog equal its rows. ---------------
  if (await tableExists(db, 'tm_backlog_totals')) {
    const drift = await rows<{ key: string; kept: string; counted: string }>(
      db,
      sql`WITH counted AS (
            SELECT a.contract_id, a.customer_id, a.billing_status, coalesce(a.nte_status, '') AS nte_status,
                   count(*) AS n, sum(a.amount) AS amount
              FROM actuals a
             WHERE a.type = 'UnbilledSales' AND a.reverses_id IS NULL AND NOT a.adjusted AND a.billing_status IS NOT NULL
             GROUP BY 1, 2, 3, 4),
          kept AS (
            SELECT contract_id, customer_id, billing_status, nte_status, sum(count) AS count, sum(amount) AS amount
              FROM tm_backlog_totals GROUP BY 1, 2, 3, 4 HAVING sum(count) <> 0 OR sum(amount) <> 0)
          SELECT concat_ws('/', coalesce(k.contract_id, c.contract_id), coalesce(k.customer_id, c.customer_id),
                           coalesce(k.billing_status, c.billing_status), coalesce(k.nte_status, c.nte_status)) AS key,
                 concat(k.count, ' rows ', k.amount) AS kept, concat(c.n, ' rows ', c.amount) AS counted
            FROM kept k FULL JOIN counted c
              ON c.contract_id = k.contract_id AND c.customer_id = k.customer_id
             AND c.billing_status = k.billing_status AND c.nte_status IS NOT DISTINCT FROM k.nte_status
           WHERE k.count IS DISTINCT FROM c.n OR k.amount IS DISTINCT FROM c.amount`,
    );
    for (const d of drift)
      v.push(
        `T&M running totals for ${d.key} keep ${d.kept || 'nothing'} but the rows are ${d.counted || 'none'}`,
      );
  }

  // --- 10b. §5 totals by month (migration 0072): the month totals equal the rows too. ----
  if (await tableExists(db, 'tm_backlog_month_totals')) {
    const drift = await rows<{ key: string; kept: string; counted: string }>(
      db,
      sql`WITH counted AS (
            SELECT date_trunc('month', a.date)::date AS month, c.currency, a.billing_status,
                   coalesce(a.nte_status, '') AS nte_status, a.transaction_class,
                   count(*) AS n, sum(a.amount) AS amount
              FROM actuals a JOIN contracts c ON c.id = a.contract_id
             WHERE a.type = 'UnbilledSales' AND a.reverses_id IS NULL AND NOT a.adjusted AND a.billing_status IS NOT NULL
             GROUP BY 1, 2, 3, 4, 5),
          kept AS (
            SELECT month, currency, billing_status, nte_status, transaction_class, sum(count) AS count, sum(amount) AS amount
              FROM tm_backlog_month_totals GROUP BY 1, 2, 3, 4, 5 HAVING sum(count) <> 0 OR sum(amount) <> 0)
          SELECT concat_ws('/', coalesce(k.month, c.month), coalesce(k.currency, c.currency),
                           coalesce(k.billing_status, c.billing_status), coalesce(k.nte_status, c.nte_status),
                           coalesce(k.transaction_class, c.transaction_class)) AS key,
                 concat(k.count, ' rows ', k.amount) AS kept, concat(c.n, ' rows ', c.amount) AS counted
            FROM kept k FULL JOIN counted c
              ON c.month = k.month AND c.currency = k.currency AND c.billing_status = k.billing_status
             AND c.nte_status = k.nte_status AND c.transaction_class = k.transaction_class
           WHERE k.count IS DISTINCT FROM c.n OR k.amount IS DISTINCT FROM c.amount`,
    );
    for (const d of drift)
      v.push(
        `T&M month totals for ${d.key} keep ${d.kept || 'nothing'} but the rows are ${d.counted || 'none'}`,
      );
  }

  // --- 12–15. The ledger core (issue 14): R68's sums, caps that hold, R28. ----------------
  if (hasInvoices) v.push(...(await ledgerCoreViolations(db)));

  // --- 11. Retainers (R50–R53, R65; guarantee 10 in docs/GUARANTEES.md). ----------------------
  if (hasInvoices && (await tableExists(db, 'retainer_applications')))
    v.push(...(await retainerViolations(db)));

  // --- 9. The ledger trigger refuses a change of amount (spec §2). ------------------------
  const probe = await rows<{ id: string; contract_id: string }>(
    db,
    sql`SELECT id::text, contract_id::text FROM actuals ORDER BY id LIMIT 1`,
  );
  if (probe[0]) {
    await sql`SAVEPOINT ledger_probe`.execute(db);
    try {
      await sql`UPDATE actuals SET amount = amount + 1 WHERE contract_id = ${probe[0].contract_id} AND id = ${probe[0].id}`.execute(
        db,
      );
      v.push(`a direct UPDATE of the amount of actual ${probe[0].id} was accepted`);
    } catch {
      // refused, as it must be
    }
    await sql`ROLLBACK TO SAVEPOINT ledger_probe`.execute(db);
  } else {
    const trig = await rows<{ n: string }>(
      db,
      sql`SELECT count(*)::text AS n FROM pg_trigger WHERE tgname = 'actuals_immutable'`,
    );
    if (trig[0]?.n === '0') v.push('the ledger immutability trigger is missing');
  }
  return v;
}

/**
 * 11. Retainers: the applications of confirmed invoices are each retainer's ledger.
 * - R53: `usedAmount` equals the sum of its applications on confirmed invoices (draws and
 *   corrections' give-backs), and 0 ≤ usedAmount + reserved on drafts ≤ amount: nothing
 *   available is ever negative and drafts never reserve more than is available.
 * - R51: a draft applies only a posted retainer; a confirmed invoice applied it only after
 *   the invoice billing it was confirmed (a lower invoice number); used > 0 only while posted.
 * - R52: no invoice goes negative: what an invoice applies (net of its confirmed
 *   corrections, and of its open corrective draft) never exceeds its chargeable T&M and
 *   milestone total, and never is below 0 per retainer. Positive applications sit on
 *   ordinary invoices, negative ones (give-backs) on corrections only.
 * - R50/R67: a retainer's billing status agrees with the invoices that carry it.
 */
async function retainerViolations(db: Kysely<DB>): Promise<string[]> {
  const v: string[] = [];
  const balances = await rows<{
    id: string;
    amount: string;
    used: string;
    status: string;
    ledger: string;
    reserved: string;
  }>(
    db,
    sql`SELECT r.id::text, r.amount::text, r.used_amount::text AS used, r.billing_status AS status,
               COALESCE((SELECT sum(ra.amount) FROM retainer_applications ra JOIN invoices i ON i.contract_id = ra.contract_id AND i.id = ra.invoice_id
                          WHERE ra.contract_id = r.contract_id AND ra.retainer_id = r.id AND i.status = 'Confirmed'), 0)::text AS ledger,
               COALESCE((SELECT sum(ra.amount) FROM retainer_applications ra JOIN invoices i ON i.contract_id = ra.contract_id AND i.id = ra.invoice_id
                          WHERE ra.contract_id = r.contract_id AND ra.retainer_id = r.id AND i.status = 'Draft' AND ra.amount > 0), 0)::text AS reserved
          FROM retainers r`,
  );
  for (const r of balances) {
    const used = BigInt(r.used);
    const reserved = BigInt(r.reserved);
    if (used !== BigInt(r.ledger))
      v.push(`retainer ${r.id}: usedAmount ${r.used} ≠ its confirmed applications ${r.ledger}`);
    if (used < 0n || used + reserved > BigInt(r.amount)) {
      v.push(`retainer ${r.id}: used ${r.used} + reserved ${r.reserved} is outside 0..${r.amount}`);
    }
    if ((used > 0n || reserved > 0n) && r.status !== 'CustomerInvoicePosted') {
      v.push(`retainer ${r.id} is ${r.status} but used ${r.used} and reserved ${r.reserved}`);
    }
  }

  const signs = await rows<{ invoice_id: string; retainer_id: string; amount: string }>(
    db,
    sql`SELECT ra.invoice_id::text, ra.retainer_id::text, ra.amount::text FROM retainer_applications ra
          JOIN invoices i ON i.contract_id = ra.contract_id AND i.id = ra.invoice_id
         WHERE ra.amount = 0 OR (ra.amount < 0) <> (i.corrects_invoice_id IS NOT NULL)`,
  );
  for (const s of signs)
    v.push(`invoice ${s.invoice_id} applies ${s.amount} of retainer ${s.retainer_id}`);

  // R51: applied only after the billing invoice was confirmed.
  const early = await rows<{ invoice_id: string; retainer_id: string; status: string }>(
    db,
    sql`SELECT ra.invoice_id::text, ra.retainer_id::text, i.status FROM retainer_applications ra
          JOIN invoices i ON i.contract_id = ra.contract_id AND i.id = ra.invoice_id
         WHERE ra.amount > 0 AND NOT EXISTS (
               SELECT 1 FROM invoice_details d JOIN invoices b ON b.contract_id = d.contract_id AND b.id = d.invoice_id
                WHERE d.contract_id = ra.contract_id AND d.source_type = 'Retainer' AND d.source_id = ra.retainer_id
                  AND d.kind = 'charge' AND d.removed_at IS NULL AND b.status = 'Confirmed'
                  AND (i.status = 'Draft'
                       OR (SELECT n.number FROM invoice_numbers n WHERE n.contract_id = b.contract_id AND n.invoice_id = b.id)
                        < (SELECT n.number FROM invoice_numbers n WHERE n.contract_id = i.contract_id AND n.invoice_id = i.id)))`,
  );
  for (const e of early)
    v.push(
      `${e.status} invoice ${e.invoice_id} applies retainer ${e.retainer_id} before its billing invoice was confirmed`,
    );
  const unposted = await rows<{ invoice_id: string; retainer_id: string; status: string }>(
    db,
    sql`SELECT ra.invoice_id::text, ra.retainer_id::text, r.billing_status AS status FROM retainer_applications ra
          JOIN invoices i ON i.contract_id = ra.contract_id AND i.id = ra.invoice_id
          JOIN retainers r ON r.contract_id = ra.contract_id AND r.id = ra.retainer_id
         WHERE i.status = 'Draft' AND r.billing_status <> 'CustomerInvoicePosted'`,
  );
  for (const u of unposted)
    v.push(`draft ${u.invoice_id} applies retainer ${u.retainer_id}, which is ${u.status}`);

  // R52: per ordinary invoice, net of its corrections (confirmed ones, plus the open
  // corrective draft, which must also hold on its own once confirmed).
  const work = sql`(SELECT COALESCE(sum(d.amount), 0) FROM invoice_details d
                     WHERE d.contract_id = o.contract_id AND d.invoice_id = o.id AND d.kind = 'charge' AND d.removed_at IS NULL
                       AND d.billing_type = 'Chargeable' AND d.source_type IN ('Actual', 'MilestoneSplit'))`;
  const credits = (
    statuses: string,
  ) => sql`(SELECT COALESCE(sum(d.amount), 0) FROM invoice_details d
                     JOIN invoices c ON c.contract_id = d.contract_id AND c.id = d.invoice_id
                     WHERE d.contract_id = o.contract_id AND c.corrects_invoice_id = o.id AND c.status IN (${sql.raw(statuses)})
                       AND d.kind = 'credit' AND d.removed_at IS NULL
                       AND d.billing_type = 'Chargeable' AND d.source_type IN ('Actual', 'MilestoneSplit'))`;
  const nets = await rows<{
    id: string;
    retainer_id: string;
    net: string;
    net_all: string;
    work: string;
    work_all: string;
  }>(
    db,
    sql`SELECT o.id::text, ra.retainer_id::text,
               COALESCE(sum(ra.amount) FILTER (WHERE ai.status = 'Confirmed' OR ai.id = o.id), 0)::text AS net,
               COALESCE(sum(ra.amount), 0)::text AS net_all,
               (${work} + ${credits(`'Confirmed'`)})::text AS work,
               (${work} + ${credits(`'Confirmed', 'Draft'`)})::text AS work_all
          FROM invoices o
          JOIN retainer_applications ra ON ra.contract_id = o.contract_id
          JOIN invoices ai ON ai.contract_id = ra.contract_id AND ai.id = ra.invoice_id AND (ai.id = o.id OR ai.corrects_invoice_id = o.id)
         WHERE o.corrects_invoice_id IS NULL
         GROUP BY o.contract_id, o.id, ra.retainer_id`,
  );
  const perInvoice = new Map<
    string,
    { net: bigint; netAll: bigint; work: bigint; workAll: bigint }
  >();
  for (const n of nets) {
    if (BigInt(n.net) < 0n || BigInt(n.net_all) < 0n)
      v.push(
        `invoice ${n.id} gives back more of retainer ${n.retainer_id} than it drew (${n.net}, ${n.net_all})`,
      );
    const t = perInvoice.get(n.id) ?? {
      net: 0n,
      netAll: 0n,
      work: BigInt(n.work),
      workAll: BigInt(n.work_all),
    };
    t.net += BigInt(n.net);
    t.netAll += BigInt(n.net_all);
    perInvoice.set(n.id, t);
  }
  for (const [id, t] of perInvoice) {
    if (t.net > t.work)
      v.push(
        `invoice ${id}: retainers applied ${t.net} exceed its chargeable work ${t.work} (negative invoice)`,
      );
    if (t.netAll > t.workAll)
      v.push(
        `invoice ${id} with its open correction: retainers ${t.netAll} exceed its chargeable work ${t.workAll}`,
      );
  }

  // R50/R67: the billing status agrees with the invoices that carry the retainer.
  const status = await rows<{
    id: string;
    billing_status: string;
    drafts: string;
    confirmed: string;
  }>(
    db,
    sql`SELECT r.id::text, r.billing_status,
               (SELECT count(*) FROM invoice_details d JOIN invoices i ON i.contract_id = d.contract_id AND i.id = d.invoice_id
                 WHERE d.contract_id = r.contract_id AND d.source_type = 'Retainer' AND d.source_id = r.id
                   AND d.active AND d.kind = 'charge' AND i.status = 'Draft')::text AS drafts,
               (SELECT count(*) FROM invoice_details d JOIN invoices i ON i.contract_id = d.contract_id AND i.id = d.invoice_id
                 WHERE d.contract_id = r.contract_id AND d.source_type = 'Retainer' AND d.source_id = r.id
                   AND d.active AND d.kind = 'charge' AND i.status = 'Confirmed')::text AS confirmed
          FROM retainers r`,
  );
  for (const r of status) {
    const expected =
      r.drafts === '1'
        ? 'CustomerInvoiceCreated'
        : r.confirmed === '1'
          ? 'CustomerInvoicePosted'
          : null;
    const onInvoice =
      r.billing_status === 'CustomerInvoiceCreated' || r.billing_status === 'CustomerInvoicePosted';
    if (expected === null ? onInvoice : r.billing_status !== expected) {
      v.push(
        `retainer ${r.id} is ${r.billing_status} but on ${r.drafts} draft and ${r.confirmed} confirmed active details`,
      );
    }
  }
  return v;
}

/**
 * Issue 14's invariants, each computed from the tables here (never by the product's own
 * totals or NTE code):
 * - 12. R68: a confirmed invoice's Chargeable BilledSales rows sum exactly to its total
 *   (R61: chargeable details − applied retainers).
 * - 13. R68: per contract customer and currency, the ledger's Chargeable BilledSales equal
 *   the confirmed invoices' totals.
 * - 14. R21/R29: at every level with a limit, invoiced + committed ≤ limit.
 * - 15. R28: no ready, drafted or posted actual is NotEvaluated or Failed.
 */
async function ledgerCoreViolations(db: Kysely<DB>): Promise<string[]> {
  const v: string[] = [];

  // 12. R68 per invoice; the total is R61's, summed from details and applications.
  const perInvoice = await rows<{ id: string; total: string; ledger: string }>(
    db,
    sql`SELECT i.id::text,
               (COALESCE((SELECT sum(d.amount) FROM invoice_details d WHERE d.contract_id = i.contract_id AND d.invoice_id = i.id
                           AND d.removed_at IS NULL AND d.billing_type = 'Chargeable'), 0)
                - COALESCE((SELECT sum(ra.amount) FROM retainer_applications ra
                             WHERE ra.contract_id = i.contract_id AND ra.invoice_id = i.id), 0))::text AS total,
               COALESCE((SELECT sum(a.amount) FROM actuals a WHERE a.contract_id = i.contract_id AND a.invoice_id = i.id
                          AND a.type = 'BilledSales' AND a.billing_type = 'Chargeable'), 0)::text AS ledger
          FROM invoices i WHERE i.status = 'Confirmed'`,
  );
  for (const t of perInvoice)
    if (t.total !== t.ledger)
      v.push(
        `R68: confirmed invoice ${t.id} has total ${t.total} but its Chargeable BilledSales rows sum to ${t.ledger}`,
      );

  // 13. R68 per contract customer and currency: every Chargeable BilledSales row, whichever
  // invoice it names (or none), against the confirmed invoices' totals.
  const perCustomer = await rows<{ key: string; ledger: string | null; invoiced: string | null }>(
    db,
    sql`WITH ledger AS (
          SELECT a.contract_id, a.customer_id, c.currency, sum(a.amount) AS amount
            FROM actuals a JOIN contracts c ON c.id = a.contract_id
           WHERE a.type = 'BilledSales' AND a.billing_type = 'Chargeable'
           GROUP BY 1, 2, 3),
        totals AS (
          SELECT i.contract_id, i.customer_id, i.currency,
                 sum(COALESCE((SELECT sum(d.amount) FROM invoice_details d WHERE d.contract_id = i.contract_id AND d.invoice_id = i.id
                                AND d.removed_at IS NULL AND d.billing_type = 'Chargeable'), 0)
                     - COALESCE((SELECT sum(ra.amount) FROM retainer_applications ra
                                  WHERE ra.contract_id = i.contract_id AND ra.invoice_id = i.id), 0)) AS amount
            FROM invoices i WHERE i.status = 'Confirmed'
           GROUP BY 1, 2, 3)
        SELECT concat_ws('/', COALESCE(l.contract_id, t.contract_id), COALESCE(l.customer_id, t.customer_id),
                         COALESCE(l.currency, t.currency)) AS key,
               l.amount::text AS ledger, t.amount::text AS invoiced
          FROM ledger l FULL JOIN totals t
            ON t.contract_id = l.contract_id AND t.customer_id = l.customer_id AND t.currency = l.currency
         WHERE COALESCE(l.amount, 0) <> COALESCE(t.amount, 0)`,
  );
  for (const r of perCustomer)
    v.push(
      `R68: contract/customer/currency ${r.key}: the ledger's Chargeable BilledSales sum to ${r.ledger ?? 0} but the confirmed invoices' totals to ${r.invoiced ?? 0}`,
    );

  // 14. R21/R29: invoiced(L) = Chargeable BilledSales of T&M work (credits included);
  // committed(L) = Chargeable live unbilled Committed actuals not yet posted, plus what draft
  // edits raised above them (nte_excess of active charge details on drafts).
  const usage = await rows<{
    part: string;
    contract_id: string;
    contract_line_id: string | null;
    line_customer_id: string | null;
    customer_id: string;
    amount: string;
  }>(
    db,
    sql`SELECT 'invoiced' AS part, a.contract_id::text, a.contract_line_id::text, a.line_customer_id::text,
               a.customer_id::text, sum(a.amount)::text AS amount
          FROM actuals a JOIN contract_lines l ON l.contract_id = a.contract_id AND l.id = a.contract_line_id
         WHERE a.type = 'BilledSales' AND a.billing_type = 'Chargeable' AND a.source_type = 'Actual'
           AND l.billing_method = 'TimeAndMaterial'
         GROUP BY 1, 2, 3, 4, 5
        UNION ALL
        SELECT 'committed', a.contract_id::text, a.contract_line_id::text, a.line_customer_id::text,
               a.customer_id::text, sum(a.amount)::text
          FROM actuals a
         WHERE a.type = 'UnbilledSales' AND a.billing_type = 'Chargeable' AND a.nte_status = 'Committed'
           AND a.reverses_id IS NULL AND NOT a.adjusted AND a.billing_status IS NOT NULL
           AND a.billing_status <> 'CustomerInvoicePosted'
         GROUP BY 1, 2, 3, 4, 5
        UNION ALL
        SELECT 'raised on drafts', a.contract_id::text, a.contract_line_id::text, a.line_customer_id::text,
               a.customer_id::text, sum(d.nte_excess)::text
          FROM invoice_details d
          JOIN invoices i ON i.contract_id = d.contract_id AND i.id = d.invoice_id
          JOIN actuals a ON a.contract_id = d.contract_id AND a.id = d.source_id
         WHERE d.source_type = 'Actual' AND d.kind = 'charge' AND d.active AND i.status = 'Draft'
         GROUP BY 1, 2, 3, 4, 5`,
  );
  const used = new Map<string, Map<string, bigint>>();
  for (const u of usage) {
    if (u.contract_line_id === null || u.line_customer_id === null) {
      v.push(
        `R21: ${u.part} T&M amount ${u.amount} of contract ${u.contract_id} names no line customer`,
      );
      continue;
    }
    for (const k of [
      `Contract ${u.contract_id}`,
      `ContractCustomer ${u.contract_id}/${u.customer_id}`,
      `ContractLine ${u.contract_line_id}`,
      `LineCustomer ${u.line_customer_id}`,
    ]) {
      const parts = used.get(k) ?? new Map<string, bigint>();
      parts.set(u.part, (parts.get(u.part) ?? 0n) + BigInt(u.amount));
      used.set(k, parts);
    }
  }
  const limits = await rows<{ k: string; nte_limit: string }>(
    db,
    sql`SELECT 'Contract ' || id AS k, nte_limit::text FROM contracts WHERE nte_limit IS NOT NULL
        UNION ALL SELECT 'ContractCustomer ' || contract_id || '/' || customer_id, nte_limit::text FROM contract_customers WHERE nte_limit IS NOT NULL
        UNION ALL SELECT 'ContractLine ' || id, nte_limit::text FROM contract_lines WHERE nte_limit IS NOT NULL
        UNION ALL SELECT 'LineCustomer ' || id, nte_limit::text FROM line_customers WHERE nte_limit IS NOT NULL`,
  );
  for (const l of limits) {
    const parts = used.get(l.k) ?? new Map<string, bigint>();
    const sum = [...parts.values()].reduce((s, x) => s + x, 0n);
    if (sum > BigInt(l.nte_limit))
      v.push(
        `R21/R29: NTE ${l.k}: invoiced + committed ${sum} exceeds the limit ${l.nte_limit} (${[
          ...parts,
        ]
          .map(([p, x]) => `${p} ${x}`)
          .join(', ')})`,
      );
  }

  // 15. R28: what is ready, drafted or posted was checked against its caps.
  const unchecked = await rows<{ id: string; billing_status: string; nte_status: string }>(
    db,
    sql`SELECT a.id::text, a.billing_status, a.nte_status FROM actuals a
         WHERE a.type = 'UnbilledSales' AND a.reverses_id IS NULL
           AND a.nte_status IN ('NotEvaluated', 'Failed')
           AND (a.billing_status IN ('ReadyToInvoice', 'CustomerInvoiceCreated', 'CustomerInvoicePosted')
                OR EXISTS (SELECT 1 FROM invoice_details d WHERE d.contract_id = a.contract_id AND d.source_type = 'Actual'
                            AND d.source_id = a.id AND d.kind = 'charge' AND d.active))`,
  );
  for (const a of unchecked)
    v.push(
      `R28: actual ${a.id} is ${a.billing_status} (or on an invoice) but its NTE status is ${a.nte_status}`,
    );
  return v;
}
