/**
 * R83: `billing-backlog export einvoices` as a real process on the test target's database:
 * one file per confirmed invoice of the period, named by its number; the incomplete ones
 * listed with R81's reasons and exit code 1.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { updateCustomer } from '../../src/repositories/customers.js';
import { saveSellerProfile } from '../../src/repositories/seller-profile.js';
import { apiOver, type TestApi } from '../support/api.js';
import { openCliTarget, runCli, type CliTarget } from '../support/cli.js';
import { TARGET } from '../support/database.js';
import { buildContract, buildDrafts, buildLine } from '../support/factories.js';
import { confirm, readyActuals } from '../support/invoicing.js';

let target: CliTarget;
let out: string;
const numbers: { complete: string[]; kwd: string; outside: string } = {
  complete: [],
  kwd: '',
  outside: '',
};

async function confirmedInvoice(
  api: TestApi,
  taxCodeId: string,
  currency: string,
  invoiceDate: string,
): Promise<string> {
  const contract = await buildContract(api, { currency });
  await updateCustomer(api.database.db, contract.customerIds[0]!, {
    legalName: 'Client SA',
    address: { line1: 'Rue de la Loi 16', city: 'Bruxelles', postalCode: '1000', country: 'BE' },
  });
  const line = await buildLine(api, contract.id);
  await api.database.db
    .updateTable('contract_lines')
    .set({ tax_code_id: taxCodeId })
    .where('id', '=', line.id)
    .execute();
  await readyActuals(api, line.id, { date: '2026-03-02' });
  const [draft] = await buildDrafts(api, contract.id, { invoiceDate });
  return (await confirm(api, draft.id)).number;
}

before(async () => {
  target = await openCliTarget();
  out = mkdtempSync(path.join(tmpdir(), 'bb-einvoices-'));
  await target.use(async (database) => {
    const api = await apiOver(database);
    try {
      await saveSellerProfile(database.db, {
        legalName: 'Muster Consulting GmbH',
        address: { line1: 'Hauptstraße 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
        vatId: 'DE123456789',
        companyId: null,
        email: null,
        phone: null,
        electronicAddress: null,
        bank: null,
        paymentInstructions: null,
        defaultPaymentTermsDays: 30,
        defaultTaxCodeId: null,
        invoiceFooter: null,
      });
      const code = await api.post('/tax-codes', {
        code: 'S19',
        name: 'Standard',
        category: 'S',
        rate: '19',
      });
      assert.equal(code.status, 201, JSON.stringify(code.body));
      numbers.complete.push(await confirmedInvoice(api, code.body.id, 'EUR', '2026-03-10'));
      numbers.complete.push(await confirmedInvoice(api, code.body.id, 'USD', '2026-03-20'));
      numbers.kwd = await confirmedInvoice(api, code.body.id, 'KWD', '2026-03-15');
      numbers.outside = await confirmedInvoice(api, code.body.id, 'EUR', '2026-04-02');
    } finally {
      await api.app.close();
    }
  });
});

after(async () => {
  rmSync(out, { recursive: true, force: true });
  await target.close();
});

describe(`CLI export einvoices [${TARGET}]`, () => {
  it('R83: one file per confirmed invoice of the period; the incomplete one listed, exit 1', async () => {
    const dir = path.join(out, 'ubl');
    const res = await runCli([
      'export',
      'einvoices',
      '--date-from',
      '2026-03-01',
      '--date-to',
      '2026-03-31',
      '-o',
      dir,
      ...target.args,
    ]);
    assert.equal(res.code, 1, res.stderr);
    assert.deepEqual(readdirSync(dir).sort(), numbers.complete.map((n) => `${n}.xml`).sort());
    for (const n of numbers.complete) {
      const xml = readFileSync(path.join(dir, `${n}.xml`), 'utf8');
      assert.match(xml, /<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/);
      assert.match(xml, new RegExp(`<cbc:ID>${n}</cbc:ID>`));
    }
    assert.match(res.stdout, /2 e-invoice\(s\) written/);
    assert.match(res.stdout, new RegExp(`${numbers.kwd}:\\n\\s+currency: BT-5 KWD has 3 decimals`));
    assert.doesNotMatch(res.stdout, new RegExp(numbers.outside));
  });

  it('R83: --syntax cii writes CII; a period without incomplete invoices exits 0', async () => {
    const dir = path.join(out, 'cii');
    const res = await runCli([
      'export',
      'einvoices',
      '--date-from',
      '2026-04-01',
      '--date-to',
      '2026-04-30',
      '--syntax',
      'cii',
      '-o',
      dir,
      ...target.args,
    ]);
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(readdirSync(dir), [`${numbers.outside}.xml`]);
    assert.match(
      readFileSync(path.join(dir, `${numbers.outside}.xml`), 'utf8'),
      /<rsm:CrossIndustryInvoice/,
    );
  });

  it('bad dates or syntax are usage errors (exit 2)', async () => {
    for (const args of [
      ['--date-from', '2026-02-30', '--date-to', '2026-03-01'],
      ['--date-from', '2026-03-02', '--date-to', '2026-03-01'],
      ['--date-from', '2026-03-01', '--date-to', '2026-03-02', '--syntax', 'pdf'],
    ]) {
      const res = await runCli([
        'export',
        'einvoices',
        ...args,
        '-o',
        path.join(out, 'x'),
        ...target.args,
      ]);
      assert.equal(res.code, 2, `${args.join(' ')}: ${res.stderr}`);
    }
  });
});
