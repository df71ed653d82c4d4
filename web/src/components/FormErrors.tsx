/**
 * Inline validation errors from the API's problem+json: each `errors[].field` (a dotted path
 * like `customers.0.billingSplitPercent`) is shown next to its input; anything that names no
 * input on the form is shown at the top with the problem's detail.
 */
import { ApiError, type FieldError } from '../lib/api';
import { codeSentence, fieldSentence } from '../lib/problems';

export class FormProblem {
  constructor(
    readonly detail: string,
    readonly errors: FieldError[],
    readonly code?: string,
  ) {}

  static from(e: unknown): FormProblem {
    if (e instanceof ApiError) return new FormProblem(e.message, e.errors, e.code);
    return new FormProblem(e instanceof Error ? e.message : String(e), []);
  }

  /** The problem as one sentence a clerk reads. */
  get sentence(): string {
    return codeSentence(this.code, this.detail);
  }

  /** Sentences for exactly this field (or the body-level ones for `''`). */
  for(field: string): string[] {
    return this.errors
      .filter((e) => e.field === field)
      .map((e) => fieldSentence(e.field, e.message));
  }

  /** Errors not claimed by any of the fields the form shows. */
  unclaimed(fields: string[]): FieldError[] {
    return this.errors.filter((e) => !fields.includes(e.field));
  }
}

export function FieldMessage({ problem, field }: { problem: FormProblem | null; field: string }) {
  const messages = problem?.for(field) ?? [];
  if (messages.length === 0) return null;
  return (
    <span className="field-error" role="alert" data-field={field}>
      {messages.join('; ')}
    </span>
  );
}

export function ProblemSummary({
  problem,
  fields,
}: {
  problem: FormProblem | null;
  fields: string[];
}) {
  if (!problem) return null;
  const rest = problem.unclaimed(fields);
  return (
    <div className="problem" role="alert">
      <p>{problem.sentence}</p>
      {rest.length > 0 && (
        <ul>
          {rest.map((e, i) => (
            <li key={i}>{fieldSentence(e.field, e.message)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
