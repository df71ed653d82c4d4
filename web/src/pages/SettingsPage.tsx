/** Settings (issue 15): the seller profile (R70) and the tax codes (R72). */
import { useCallback, useEffect, useState } from 'react';
import { FormProblem, ProblemSummary } from '../components/FormErrors';
import { SellerProfileForm } from '../components/SellerProfileForm';
import { TaxCodesEditor } from '../components/TaxCodesEditor';
import { getAll } from '../lib/api';
import type { TaxCode } from '../lib/invoicing';

export function useTaxCodes() {
  const [taxCodes, setTaxCodes] = useState<TaxCode[]>([]);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const reload = useCallback(async () => {
    try {
      setTaxCodes(await getAll<TaxCode>('/tax-codes'));
    } catch (e) {
      setProblem(FormProblem.from(e));
    }
  }, []);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { taxCodes, problem, reload };
}

export function SettingsPage() {
  const { taxCodes, problem, reload } = useTaxCodes();
  return (
    <div className="page">
      <h1>Settings</h1>
      <ProblemSummary problem={problem} fields={[]} />
      <div className="forms">
        <SellerProfileForm taxCodes={taxCodes} />
        <TaxCodesEditor taxCodes={taxCodes} onChange={() => void reload()} />
      </div>
    </div>
  );
}
