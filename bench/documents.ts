/**
 * The invoice document (R78): `GET /invoices/{id}/document` of the largest confirmed invoice
 * (the 10,000-line one of bench/invoicing.ts at full and quick scale) and of a 20-line one
 * made here, timed to the last byte, with the server's RSS growth while the large one
 * streams. There is no raw-SQL baseline: the work is the rendering, not the query.
 */
import { sql } from 'kysely';
import type { BenchContext, Measurement } from './operations.js';
import { rssSampler } from './server.js';
import { sample, summarize } from './stats.js';

const SMALL_LINES = 20;
const INVOICE_DATE = '2027-02-28';

interface Sized {
  id: string;
  lines: number;
}

async function largestConfirmed(ctx: BenchContext): Promise<Sized | undefined> {
  const r = await sql<{ id: string; n: string }>`
    SELECT i.id, count(*) AS n FROM invoices i
    JOIN invoice_details d ON d.contract_id = i.contract_id AND d.invoice_id = i.id
    WHERE i.status = 'Confirmed' AND d.active
    GROUP BY i.id ORDER BY count(*) DESC, i.id LIMIT 1
  `.execute(ctx.db);
  const row = r.rows[0];
  return row ? { id: row.id, lines: Number(row.n) } : undefined;
}

/** A 20-line invoice through the API: 20 ready actuals of one contract and customer. */
async function smallInvoice(ctx: BenchContext): Promise<Sized | undefined> {
  const group = await sql<{ contract_id: string; customer_id: string }>`
    SELECT contract_id, customer_id FROM actuals
    WHERE billing_status IN ('UnbilledSalesCreated', 'NotReadyToInvoice', 'ReadyToInvoice')
      AND nte_status <> 'Failed' AND date <= ${INVOICE_DATE}::date
    GROUP BY contract_id, customer_id HAVING count(*) >= ${SMALL_LINES}
    ORDER BY contract_id LIMIT 1
  `.execute(ctx.db);
  const g = group.rows[0];
  if (!g) return undefined;
  const ids = (
    await sql<{ id: string }>`
      UPDATE actuals SET billing_status = 'ReadyToInvoice'
      WHERE (contract_id, id) IN (
        SELECT contract_id, id FROM actuals
        WHERE contract_id = ${g.contract_id} AND customer_id = ${g.customer_id}
          AND billing_status IN ('UnbilledSalesCreated', 'NotReadyToInvoice', 'ReadyToInvoice')
          AND nte_status <> 'Failed' AND date <= ${INVOICE_DATE}::date
        ORDER BY id LIMIT ${SMALL_LINES})
      RETURNING id
    `.execute(ctx.db)
  ).rows.map((r) => r.id);
  const drafts = await ctx.api.request<{ invoices: { id: string }[] }>('POST', '/invoices', {
    contractId: g.contract_id,
    itemIds: ids,
    invoiceDate: INVOICE_DATE,
  });
  const draft = drafts.invoices[0];
  if (!draft) return undefined;
  await ctx.api.request('POST', `/invoices/${draft.id}/confirm`);
  return { id: draft.id, lines: ids.length };
}

async function measure(
  ctx: BenchContext,
  invoice: Sized,
  runs: number,
  target: { ms: number; text: string; rssMb?: number },
): Promise<Measurement> {
  const rss = rssSampler(ctx.api.pid);
  const baseMb = rss.peakMb();
  let bytes = 0;
  const samples = await sample(
    runs,
    {
      timed: async () => {
        bytes = (await ctx.api.download(`/invoices/${invoice.id}/document`)).length;
      },
    },
    0,
  );
  const growthMb = rss.peakMb() - baseMb;
  rss.stop();
  const api = summarize(samples);
  ctx.log(
    `  PDF of ${invoice.lines} lines: median ${api.median.toFixed(0)} ms, ${bytes} bytes, server RSS +${growthMb} MB`,
  );
  const full = invoice.lines >= (target.rssMb ? 10_000 : SMALL_LINES);
  return {
    operation: 'PDF document (GET …/{id}/document)',
    detail: `${invoice.lines.toLocaleString('en-US')} lines, ${Math.round(bytes / 1024)} KiB; server RSS growth ${growthMb} MB; ${runs} runs`,
    unit: 'ms',
    api,
    target: target.text,
    met: full
      ? api.median <= target.ms && (target.rssMb === undefined || growthMb <= target.rssMb)
      : undefined,
  };
}

export async function measureDocuments(ctx: BenchContext): Promise<Measurement[]> {
  const out: Measurement[] = [];
  const large = await largestConfirmed(ctx);
  if (large) {
    out.push(
      await measure(ctx, large, Math.min(ctx.runs, 3), {
        ms: 5000,
        rssMb: 100,
        text: '≤ 5 s, server RSS growth ≤ 100 MB (10,000 lines)',
      }),
    );
  }
  const small = await smallInvoice(ctx);
  if (small) {
    out.push(await measure(ctx, small, ctx.runs, { ms: 100, text: '≤ 100 ms (20 lines)' }));
  }
  return out;
}
