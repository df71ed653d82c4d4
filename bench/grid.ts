/**
 * `npm run bench:grid -- [--scale N] [--pages N] [--wheel N]`
 *
 * How smoothly the T&M grid scrolls over a large backlog, in the system Chromium: the
 * benchmark's generated data (N actuals, default 100,000) in a fresh embedded data
 * directory, the real server (`tsx src/main.ts`, as the browser tests start it), then
 *
 * 1. **End, page after page**: the grid focused, End pressed until `pages` more pages of 100
 *    rows have come through the cursor API; the time from each End to its rows on screen;
 * 2. **wheel**: `wheel` mouse-wheel steps of 400 px, one a frame, back up through the loaded
 *    rows;
 *
 * recording every animation frame's interval (requestAnimationFrame) and the number of row
 * elements in the DOM in each frame. Prints a Markdown table and writes
 * bench/results/grid-<timestamp>.json. Numbers only: the browser test
 * (test/e2e/large-backlog.test.ts) checks the behaviour, never a time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { launchBrowser, signedInPage, startServer } from '../test/e2e/support.js';
import { generate, type GeneratedShape } from './generate.js';
import { calibrate, describeMachine } from './machine.js';
import { summarize, type Summary } from './stats.js';

const say = (message: string) =>
  console.error(`[bench:grid ${new Date().toISOString().slice(11, 19)}] ${message}`);

/** A frame longer than this is visible as a stutter (three frames at 60 Hz). */
const LONG_FRAME_MS = 50;

interface FrameStats {
  frames: Summary;
  /** 99th percentile (nearest rank) of the frame intervals. */
  p99: number;
  longFrames: number;
  maxRowsInDom: number;
}

export interface GridBenchResult {
  startedAt: string;
  args: { scale: number; pages: number; wheel: number };
  machine: ReturnType<typeof describeMachine>;
  shape: GeneratedShape;
  /** Milliseconds from End to the next page's rows in the grid (API call included). */
  pageLoad: Summary;
  endPhase: FrameStats;
  wheelPhase: FrameStats;
  rowsLoaded: number;
}

/**
 * Starts recording in the page: every requestAnimationFrame interval and the row elements in
 * the DOM at that frame. Plain JavaScript text: it runs in the browser.
 */
const START_RECORDING = `(() => {
  const rec = { intervals: [], rows: 0, on: true };
  window.__gridBench = rec;
  let last = performance.now();
  const tick = (t) => {
    rec.intervals.push(t - last);
    last = t;
    rec.rows = Math.max(rec.rows, document.querySelectorAll('[data-testid=grid-scroll] tbody tr[data-row-id]').length);
    if (rec.on) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;
const STOP_RECORDING = `(() => {
  const rec = window.__gridBench;
  rec.on = false;
  return { intervals: rec.intervals.slice(1), rows: rec.rows };
})()`;

function frameStats(recorded: { intervals: number[]; rows: number }): FrameStats {
  const sorted = [...recorded.intervals].sort((a, b) => a - b);
  const p99 = sorted[Math.max(0, Math.ceil(0.99 * sorted.length) - 1)] ?? NaN;
  return {
    frames: summarize(recorded.intervals),
    p99,
    longFrames: recorded.intervals.filter((ms) => ms > LONG_FRAME_MS).length,
    maxRowsInDom: recorded.rows,
  };
}

async function loadedRows(page: Page): Promise<number> {
  const text = await page.getByRole('button', { name: /^Load more/ }).innerText();
  return Number(/\((\d+) of/.exec(text)?.[1] ?? NaN);
}

export async function benchGrid({
  log = say,
  ...options
}: {
  scale: number;
  pages: number;
  wheel: number;
  log?: (message: string) => void;
}): Promise<GridBenchResult> {
  const startedAt = new Date().toISOString();
  let shape: GeneratedShape | undefined;
  const server = await startServer({
    async prepareDataDir(dataDir) {
      const database = await openDatabase({ dataDir });
      try {
        await migrateToLatest(database.db as never);
        log(`generating ${options.scale.toLocaleString('en-US')} actuals`);
        shape = await generate(database.db, options.scale, (m) => log(`  ${m}`));
      } finally {
        await database.close();
      }
    },
  });
  const browser = await launchBrowser();
  try {
    if (!shape) throw new Error('no data generated');
    const page = await signedInPage(browser, server);
    await page
      .getByTestId('totals-count')
      .filter({ hasText: String(shape.actuals) })
      .waitFor();
    const scroller = page.getByTestId('grid-scroll');
    const loadMore = page.getByRole('button', { name: /^Load more/ });

    log(`End × ${options.pages} pages`);
    await scroller.focus();
    await page.evaluate(START_RECORDING);
    const pageLoads: number[] = [];
    for (let i = 0; i < options.pages; i++) {
      const before = await loadedRows(page);
      const started = performance.now();
      await page.keyboard.press('End');
      await loadMore.filter({ hasText: new RegExp(`\\((?!${before} of)\\d+ of`) }).waitFor();
      pageLoads.push(performance.now() - started);
    }
    const endPhase = frameStats(await page.evaluate(STOP_RECORDING));
    const rowsLoaded = await loadedRows(page);

    log(`wheel × ${options.wheel}`);
    const box = await scroller.boundingBox();
    if (!box) throw new Error('the grid is not on screen');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.evaluate(START_RECORDING);
    for (let i = 0; i < options.wheel; i++) {
      await page.mouse.wheel(0, -400);
      await page.waitForTimeout(16);
    }
    const wheelPhase = frameStats(await page.evaluate(STOP_RECORDING));
    return {
      startedAt,
      args: options,
      machine: describeMachine(),
      shape,
      pageLoad: summarize(pageLoads),
      endPhase,
      wheelPhase,
      rowsLoaded,
    };
  } finally {
    await browser.close();
    await server.stop();
  }
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');

export function renderGridMarkdown(r: GridBenchResult): string {
  const row = (name: string, f: FrameStats) =>
    `| ${name} | ${f.frames.n} | ${ms(f.frames.median)} | ${ms(f.frames.p95)} | ${ms(f.p99)} | ${ms(f.frames.max)} | ${f.longFrames} | ${f.maxRowsInDom} |`;
  return [
    `Grid scrolling, ${r.shape.actuals.toLocaleString('en-US')} actuals, ${r.rowsLoaded.toLocaleString('en-US')} rows loaded (${r.machine.cores} cores, load ${r.machine.loadAverage.start.toFixed(1)})`,
    '',
    `| phase | frames | median ms | p95 ms | p99 ms | max ms | frames > ${LONG_FRAME_MS} ms | max rows in DOM |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    row(`End × ${r.args.pages} (loads a page each)`, r.endPhase),
    row(`wheel × ${r.args.wheel} (400 px a frame)`, r.wheelPhase),
    '',
    `End → next 100 rows on screen: median ${ms(r.pageLoad.median)} ms, p95 ${ms(r.pageLoad.p95)} ms, max ${ms(r.pageLoad.max)} ms`,
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string' },
      pages: { type: 'string' },
      wheel: { type: 'string' },
    },
  });
  const scale = Number(values.scale ?? 100_000);
  const pages = Number(values.pages ?? 50);
  const wheel = Number(values.wheel ?? 300);
  for (const [name, v] of [
    ['scale', scale],
    ['pages', pages],
    ['wheel', wheel],
  ] as const) {
    if (!Number.isInteger(v) || v < 1)
      throw new Error(`--${name} must be a whole number, at least 1`);
  }
  const result = await benchGrid({ scale, pages, wheel });
  result.machine.loadAverage.end = os.loadavg()[0];
  result.machine.calibrationMs.end = calibrate();
  const dir = path.join(path.dirname(new URL(import.meta.url).pathname), 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `grid-${result.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(renderGridMarkdown(result));
  say(`results written to ${path.relative(process.cwd(), file)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
