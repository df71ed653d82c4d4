/** The transaction classes a line bills (R5), as checkboxes: on a new line and when editing one. */
import { FieldMessage, type FormProblem } from './FormErrors';

export const TRANSACTION_CLASSES = ['Time', 'Expense', 'Material', 'Fee'];

export function TransactionClassesField({
  value,
  onChange,
  problem,
}: {
  value: string[];
  onChange: (update: (classes: string[]) => string[]) => void;
  problem: FormProblem | null;
}) {
  return (
    <fieldset>
      <legend>Transaction classes</legend>
      {TRANSACTION_CLASSES.map((c) => (
        <label key={c} className="inline">
          <input
            type="checkbox"
            checked={value.includes(c)}
            onChange={(e) =>
              onChange((cs) => (e.target.checked ? [...cs, c] : cs.filter((x) => x !== c)))
            }
          />
          {c}
        </label>
      ))}
      <FieldMessage problem={problem} field="transactionClasses" />
    </fieldset>
  );
}
