/** The options of a tax-code select on a profile (R70's default, R71's override). */
import type { TaxCode } from '../lib/invoicing';

export function TaxCodeOptions({ taxCodes, none }: { taxCodes: TaxCode[]; none: string }) {
  return (
    <>
      <option value="">{none}</option>
      {taxCodes.map((t) => (
        <option key={t.id} value={t.id}>
          {t.code} · {t.name}
        </option>
      ))}
    </>
  );
}
