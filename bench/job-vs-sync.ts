/**
 * Issue 18: an invoice run as a job (R95, worked by the server's in-process worker) against
 * the same run as one synchronous request (R66), over N contracts of 3 ready items each,
 * on a fresh test database. Each run gets its own contracts (run dates a month apart).
 *   TEST_DB=embedded|postgres [TEST_DATABASE_URL=…] N=200 tsx bench/job-vs-sync.ts
 * A small comparison, not part of `npm run bench`.
 */
import { startApi } from '../test/support/api.js';

const N = Number(process.env.N ?? 200);
const api = await startApi({ jobWorkers: 1, jobPollMs: 50 });
try {
  const customer = (await api.post('/customers', { name: 'Job bench' })).body.id;
  const ids: string[] = [];
  for (const runDate of ['2026-05-31', '2026-06-30']) {
    for (let c = 0; c < N; c++) {
      const contract = await api.post('/contracts', {
        name: `Job bench ${runDate} ${c}`,
        currency: 'EUR',
        customers: [{ customerId: customer, billingSplitPercent: '100' }],
      });
      const line = await api.post(`/contracts/${contract.body.id}/lines`, {
        name: 'Work',
        billingMethod: 'TimeAndMaterial',
        invoiceSchedule: [{ runDate }],
      });
      for (let e = 1; e <= 3; e++) {
        const entry = await api.post('/entries', {
          contractLineId: line.body.id,
          transactionClass: 'Time',
          date: `${runDate.slice(0, 8)}0${e}`,
          quantity: '2',
          unitPrice: '100',
        });
        const approved = await api.post(`/entries/${entry.body.id}/approve`, {});
        ids.push(...approved.body.actuals.map((a: { id: string }) => a.id));
      }
    }
  }
  await api.post('/backlog/time-and-material/mark-ready', { ids });

  let t = performance.now();
  const sync = await api.post('/invoice-runs', { runDate: '2026-05-31' });
  const syncMs = Math.round(performance.now() - t);
  t = performance.now();
  const queued = await api.post('/invoice-runs/jobs', { runDate: '2026-06-30' });
  let job;
  do {
    await new Promise((r) => setTimeout(r, 20));
    job = (await api.get(`/invoice-runs/jobs/${queued.body.id}`)).body;
  } while (job.status === 'Queued' || job.status === 'Running');
  const jobMs = Math.round(performance.now() - t);
  console.log(
    JSON.stringify({
      database: api.database.kind,
      contracts: N,
      sync: { ms: syncMs, invoices: sync.body.invoices.length },
      job: { ms: jobMs, invoices: job.invoiceIds.length, status: job.status },
    }),
  );
} finally {
  await api.close();
}
