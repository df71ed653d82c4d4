/**
 * R78 from the command line, run as a real process against the test target's database:
 * `invoices document <id> -o file.pdf` and `export documents --date-from --date-to -o DIR`.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { apiOver } from '../support/api.js';
import { openCliTarget, runCli, type CliTarget } from '../support/cli.js';
import { TARGET } from '../support/database.js';
import { buildContract, buildLine } from '../support/factories.js';
import { pdfPages } from '../support/invoice-document.js';
import { confirm, createInvoices } from '../support/invoicing.js';

let target: CliTarget;
let out: string;
const invoices: { march: any; april: any; may: any; draft: any } = {} as never;

const textOf = async (file: string) =>
  (await pdfPages(readFileSync(file))).join(' ').replace(/\s+/g, ' ');

before(async () => {
  out = mkdtempSync(path.join(tmpdir(), 'bb-documents-'));
  target = await openCliTarget();
  await target.use(async (database) => {
    const api = await apiOver(database);
    try {
      const contract = await buildContract(api, { currency: 'EUR' });
      const line = await buildLine(api, contract.id, { name: 'Retainer work' });
      const invoiceOn = async (date: string, description: string) => {
        const entry = await api.post('/entries', {
          contractLineId: line.id,
          transactionClass: 'Time',
          date,
          quantity: '2',
          unitPrice: '150.00',
          description,
        });
        assert.equal(entry.status, 201, JSON.stringify(entry.body));
        const approved = await api.post(`/entries/${entry.body.id}/approve`, {});
        const actuals: any[] = approved.body.actuals;
        await api.post('/backlog/time-and-material/mark-ready', { ids: actuals.map((a) => a.id) });
        const [draft] = await createInvoices(api, {
          contractId: contract.id,
          itemIds: actuals.map((a) => a.id),
          invoiceDate: date,
        });
        return draft;
      };
      invoices.march = await confirm(api, (await invoiceOn('2026-03-31', 'March support')).id);
      invoices.april = await confirm(api, (await invoiceOn('2026-04-30', 'April support')).id);
      invoices.may = await confirm(api, (await invoiceOn('2026-05-31', 'May support')).id);
      invoices.draft = await invoiceOn('2026-04-15', 'Draft work');
    } finally {
      await api.app.close();
    }
  });
});

after(async () => {
  await target?.close();
  rmSync(out, { recursive: true, force: true });
});

describe(`CLI invoice documents [${TARGET}]`, () => {
  it('R78: invoices document writes one invoice as a PDF; a draft as a pro forma', async () => {
    const file = path.join(out, 'one.pdf');
    const res = await runCli([
      'invoices',
      'document',
      invoices.april.id,
      '-o',
      file,
      ...target.args,
    ]);
    assert.equal(res.code, 0, res.stderr);
    const text = await textOf(file);
    assert.ok(text.includes(`Number ${invoices.april.number}`), text);
    assert.ok(text.includes('April support'));

    const proForma = path.join(out, 'draft.pdf');
    const draft = await runCli([
      'invoices',
      'document',
      invoices.draft.id,
      '-o',
      proForma,
      ...target.args,
    ]);
    assert.equal(draft.code, 0, draft.stderr);
    assert.ok((await textOf(proForma)).includes('Pro forma'));
  });

  it('R78: an unknown invoice fails with exit code 1 and writes nothing', async () => {
    const file = path.join(out, 'missing.pdf');
    const res = await runCli(['invoices', 'document', '987654321', '-o', file, ...target.args]);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /does not exist/);
    assert.equal(existsSync(file), false);
    assert.equal(existsSync(`${file}.partial`), false);
  });

  it('R78: export documents writes one PDF per confirmed invoice of the range, named by number', async () => {
    const dir = path.join(out, 'export');
    const res = await runCli([
      'export',
      'documents',
      '--date-from',
      '2026-03-01',
      '--date-to',
      '2026-04-30',
      '-o',
      dir,
      ...target.args,
    ]);
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(
      readdirSync(dir).sort(),
      [`${invoices.march.number}.pdf`, `${invoices.april.number}.pdf`].sort(),
    );
    assert.ok(
      (await textOf(path.join(dir, `${invoices.march.number}.pdf`))).includes('March support'),
    );
    // The same bytes as the single-invoice command (R78: stable documents).
    const single = path.join(out, 'april-again.pdf');
    await runCli(['invoices', 'document', invoices.april.id, '-o', single, ...target.args]);
    assert.ok(
      readFileSync(single).equals(readFileSync(path.join(dir, `${invoices.april.number}.pdf`))),
    );
  });

  it('export documents refuses a bad date range with exit code 2', async () => {
    const dir = path.join(out, 'bad');
    const bad = await runCli([
      'export',
      'documents',
      '--date-from',
      '2026-02-30',
      '--date-to',
      '2026-03-01',
      '-o',
      dir,
      ...target.args,
    ]);
    assert.equal(bad.code, 2, bad.stderr);
    const reversed = await runCli([
      'export',
      'documents',
      '--date-from',
      '2026-05-01',
      '--date-to',
      '2026-03-01',
      '-o',
      dir,
      ...target.args,
    ]);
    assert.equal(reversed.code, 2, reversed.stderr);
    assert.equal(existsSync(dir), false);
  });
});
