#!/usr/bin/env node
/* global fetch, performance, setTimeout */
// Start-up time and RSS of the server before (TypeScript through tsx) and after (compiled
// dist/) the production build. Interleaved runs of both, each a fresh server process:
//   start-up: from spawn until GET /api/v1/health answers 200 (migrations included);
//   idle RSS: VmRSS 3 s after it answered, nothing asked of it;
//   peak RSS: VmHWM (whole-life peak) after a fixed workload: 40 contracts with ready items
//             through the API, one invoice-run job over them, 300 list reads.
// Usage: node scripts/measure-start.mjs [--runs 3] [--url postgres://…] (embedded when no URL)
// Needs `npm run build` first. Prints a Markdown table and the raw numbers as JSON.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const RUNS = Number(arg('--runs', '3'));
const URL_ = arg('--url', undefined);
const TOKEN = 'measure-admin-token-0123456789abcdef';

const MODES = {
  tsx: ['--import', 'tsx', 'src/main.ts'],
  compiled: ['dist/main.js'],
};

const statusMb = (pid, field) => {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`${field}:\\s+(\\d+)`));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function freshDatabase() {
  if (!URL_) return { env: { DATA_DIR: 'memory://' }, drop: async () => {} };
  const name = `bb_measure_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: URL_ });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(URL_);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    drop: async () => {
      const c = new pg.Client({ connectionString: URL_ });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

async function measure(mode) {
  const database = await freshDatabase();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}/api/v1`;
  const t0 = performance.now();
  const child = spawn(process.execPath, MODES[mode], {
    cwd: root,
    env: {
      ...process.env,
      ...database.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DEMO: '0',
      ADMIN_TOKEN: TOKEN,
      LOG_LEVEL: 'warn',
      SHUTDOWN_GRACE_MS: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (;;) {
      try {
        if ((await fetch(`${base}/health`)).status === 200) break;
      } catch {
        // not listening yet
      }
      if (child.exitCode !== null) throw new Error(`${mode} server exited ${child.exitCode}`);
      await sleep(20);
    }
    const startMs = Math.round(performance.now() - t0);
    await sleep(3000);
    const idleMb = statusMb(child.pid, 'VmRSS');
    const call = async (method, p, body) => {
      const res = await fetch(`${base}${p}`, {
        method,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const json = await res.json();
      if (res.status >= 300)
        throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const customer = (await call('POST', '/customers', { name: 'Measure' })).id;
    const actualIds = [];
    for (let c = 0; c < 40; c++) {
      const contract = await call('POST', '/contracts', {
        name: `Measure ${c}`,
        currency: 'EUR',
        customers: [{ customerId: customer, billingSplitPercent: '100' }],
      });
      const line = await call('POST', `/contracts/${contract.id}/lines`, {
        name: 'Work',
        billingMethod: 'TimeAndMaterial',
        invoiceSchedule: [{ runDate: '2026-05-31' }],
      });
      const entry = await call('POST', '/entries', {
        contractLineId: line.id,
        transactionClass: 'Time',
        date: '2026-05-04',
        quantity: '3',
        unitPrice: '100',
      });
      const approved = await call('POST', `/entries/${entry.id}/approve`, {});
      actualIds.push(...approved.actuals.map((a) => a.id));
    }
    await call('POST', '/backlog/time-and-material/mark-ready', { ids: actualIds });
    const job = await call('POST', '/invoice-runs/jobs', { runDate: '2026-05-31' });
    while (
      !['Succeeded', 'Failed'].includes((await call('GET', `/invoice-runs/jobs/${job.id}`)).status)
    )
      await sleep(50);
    for (let i = 0; i < 300; i++)
      await call('GET', `/backlog/time-and-material?limit=50&contractId=${i}`);
    const peakMb = statusMb(child.pid, 'VmHWM');
    return { mode, startMs, idleMb, peakMb };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    await database.drop();
  }
}

const results = [];
for (let i = 0; i < RUNS; i++)
  for (const mode of i % 2 ? ['compiled', 'tsx'] : ['tsx', 'compiled']) {
    const r = await measure(mode);
    console.error(JSON.stringify(r));
    results.push(r);
  }
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
console.log(
  `| server (${URL_ ? 'PostgreSQL' : 'embedded, memory://'}) | start-up ms | idle RSS MB | peak RSS MB |`,
);
console.log('| --- | --- | --- | --- |');
for (const mode of Object.keys(MODES)) {
  const rs = results.filter((r) => r.mode === mode);
  console.log(
    `| ${mode === 'tsx' ? 'before: node --import tsx src/main.ts' : 'after: node dist/main.js'} | ${median(rs.map((r) => r.startMs))} | ${median(rs.map((r) => r.idleMb))} | ${median(rs.map((r) => r.peakMb))} |`,
  );
}
console.log(JSON.stringify(results));
