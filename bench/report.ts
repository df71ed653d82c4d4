/** Results as JSON (to compare runs later) and as the Markdown table of docs/BENCHMARKS.md. */
import type { GeneratedShape } from './generate.js';
import type { HistoryShape } from './history.js';
import type { Machine } from './machine.js';
import type { Measurement } from './operations.js';

export interface DatabaseResult {
  database: 'embedded' | 'postgres';
  version: string;
  shape: GeneratedShape;
  /** `--history`: the posted history generated beside the open backlog. */
  history?: HistoryShape;
  measurements: Measurement[];
  rss: {
    afterGenerateMb: number;
    /** Sampled every 50 ms while measuring. */
    peakMb: number;
    targetMb: number;
    met: boolean;
    /**
     * Whose RSS: the server's own process (PostgreSQL), or the benchmark's, which runs the
     * embedded server and includes the driver. Left out by results written before.
     */
    process?: 'server' | 'bench';
    /** The server process's VmHWM at the end (its whole life's peak). */
    hwmMb?: number;
    /** The benchmark driver's own peak while measuring (information). */
    driverPeakMb?: number;
  };
  /**
   * The server ran without autovacuum and the benchmark vacuumed and analysed by
   * autovacuum's default rules (bench/autovacuum.ts): how many times, per table and action.
   */
  autovacuumStandIn?: Record<string, number>;
  seconds: number;
}

export interface BenchResult {
  startedAt: string;
  args: {
    scale: number;
    quick: boolean;
    runs: number;
    historyCopies?: number;
    mixed?: { clients: number; seconds: number };
  };
  machine: Machine;
  databases: DatabaseResult[];
  notMeasured: { operation: string; target: string; reason: string }[];
}

const fmt = (x: number | undefined, unit: string): string => {
  if (x === undefined || !Number.isFinite(x)) return '–';
  if (unit === 'ms') return x < 100 ? x.toFixed(1) : x.toFixed(0);
  return Math.round(x).toLocaleString('en-US');
};

export function renderMarkdown(r: BenchResult): string {
  const m = r.machine;
  const out: string[] = [
    `Run ${r.startedAt}: ${r.args.scale.toLocaleString('en-US')} actuals requested` +
      `${r.args.quick ? ' (--quick)' : ''}, ${r.args.runs} runs. ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, ` +
      `${m.os}, Node ${m.node}; load average ${m.loadAverage.start.toFixed(1)} at start, ${m.loadAverage.end?.toFixed(1) ?? '?'} at end; ` +
      `1M bigint additions ${m.calibrationMs.start} ms at start, ${m.calibrationMs.end ?? '?'} ms at end.`,
    '',
  ];
  for (const d of r.databases) {
    out.push(
      `### ${d.database === 'embedded' ? `Embedded (PGlite ${m.pglite}, ${d.version})` : `PostgreSQL server (${d.version})`}`,
      '',
      `${d.shape.actuals.toLocaleString('en-US')} actuals, ${d.shape.entries.toLocaleString('en-US')} entries, ` +
        `${d.shape.contracts.toLocaleString('en-US')} contracts, ${d.shape.customers.toLocaleString('en-US')} customers; ` +
        `generated in ${d.shape.seconds.toFixed(0)} s, whole run ${d.seconds.toFixed(0)} s.` +
        (d.history
          ? ` Beside them, posted history: ${d.history.postedItems.toLocaleString('en-US')} items ` +
            `(${d.history.ledgerRows.toLocaleString('en-US')} ledger rows, ` +
            `${d.history.invoices.toLocaleString('en-US')} invoices) in ${d.history.seconds.toFixed(0)} s.`
          : '') +
        (d.autovacuumStandIn
          ? ` The server ran with autovacuum off; the benchmark vacuumed and analysed by autovacuum's default rules ` +
            `(${
              Object.entries(d.autovacuumStandIn)
                .map(([t, n]) => `${t} ${n}×`)
                .join(', ') || 'nothing was due'
            }).`
          : ''),
      '',
      '| operation | detail | unit | API median | API p95 | API min–max | raw median | of which totals | API/raw | target | met |',
      '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
    );
    for (const x of d.measurements) {
      if (x.error) {
        out.push(
          `| ${x.operation} | ${x.detail} | ${x.unit} | **failed** | | | | | | ${x.target ?? '–'} | ${x.met === false ? '**no**' : '–'} |`,
        );
        out.push(`| | ↳ ${x.error.replace(/\|/g, '\\|')} | | | | | | | | | |`);
        continue;
      }
      out.push(
        `| ${x.operation} | ${x.detail} | ${x.unit} | ${fmt(x.api.median, x.unit)} | ${fmt(x.api.p95, x.unit)} | ` +
          `${fmt(x.api.min, x.unit)}–${fmt(x.api.max, x.unit)} | ${fmt(x.raw?.median, x.unit)} | ` +
          `${fmt(x.rawTotals?.median, x.unit)} | ${x.ratio === undefined ? '–' : `${x.ratio.toFixed(1)}×`} | ` +
          `${x.target ?? '–'} | ${x.met === undefined ? '–' : x.met ? 'yes' : '**no**'} |`,
      );
    }
    const rssRow =
      d.rss.process === 'server'
        ? `| Server RSS (peak while measuring, server process) | \`src/main.ts\` in its own process; VmHWM ${d.rss.hwmMb ?? '?'} MB; benchmark driver ${d.rss.driverPeakMb ?? '?'} MB (bulk load ${d.rss.afterGenerateMb} MB)`
        : `| Server RSS (peak while measuring, benchmark process: in-process server, includes the driver) | bulk load peak ${d.rss.afterGenerateMb} MB, then database reopened`;
    out.push(
      `${rssRow} | MB | ${d.rss.peakMb} | | | | | | ≤ ${d.rss.targetMb} MB | ${d.rss.met ? 'yes' : '**no**'} |`,
      '',
    );
  }
  if (r.notMeasured.length > 0) {
    out.push('Not measured in this run:', '');
    for (const n of r.notMeasured) out.push(`- ${n.operation} (target ${n.target}): ${n.reason}`);
    out.push('');
  }
  return out.join('\n');
}
