/**
 * Import entries where the user is: a CSV (the CLI's format) uploaded to
 * `POST /entries/import` with upload progress; the summary and each bad row are shown, and
 * the bad rows can be downloaded as a CSV to fix and upload again (a re-upload skips the
 * rows already imported).
 */
import { useState, type FormEvent } from 'react';
import { FormProblem, ProblemSummary } from '../components/FormErrors';
import { GatedButton } from '../components/Gated';
import { ApiError, getToken } from '../lib/api';
import { fieldSentence } from '../lib/problems';

interface RowError {
  line: number;
  field: string;
  reason: string;
}

interface ImportAnswer {
  mode: string;
  rows: number;
  imported: number;
  skipped: number;
  approved: number;
  badRows: number;
  committed: boolean;
  errors: RowError[];
  errorsTruncated: boolean;
}

/** XHR rather than fetch: only XHR reports upload progress. */
function upload(
  file: File,
  query: string,
  onProgress: (sent: number, total: number) => void,
): Promise<ImportAnswer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/entries/import?${query}`);
    const token = getToken();
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.setRequestHeader('content-type', 'text/csv');
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.total || file.size);
    xhr.onerror = () => reject(new Error('The upload did not reach the server.'));
    xhr.onload = () => {
      const body = xhr.responseText
        ? (JSON.parse(xhr.responseText) as Record<string, unknown>)
        : {};
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as unknown as ImportAnswer);
      else
        reject(
          new ApiError(
            xhr.status,
            String(body.code ?? 'ERROR'),
            String(body.detail ?? xhr.statusText),
            (body.errors as { field: string; message: string }[] | undefined) ?? [],
          ),
        );
    };
    xhr.send(file);
  });
}

function errorsCsv(errors: RowError[]): string {
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  return (
    [
      'line,field,reason',
      ...errors.map((e) => [e.line, e.field, e.reason].map(String).map(quote).join(',')),
    ].join('\n') + '\n'
  );
}

export function ImportPage() {
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState('skip-bad-rows');
  const [approve, setApprove] = useState(false);
  const [progress, setProgress] = useState<{ sent: number; total: number } | null>(null);
  const [answer, setAnswer] = useState<ImportAnswer | null>(null);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) {
      setProblem(
        new FormProblem('Choose a CSV file first.', [{ field: 'file', message: 'is required' }]),
      );
      return;
    }
    setBusy(true);
    setProblem(null);
    setAnswer(null);
    setProgress({ sent: 0, total: file.size });
    try {
      const query = new URLSearchParams({ mode, approve: String(approve) }).toString();
      setAnswer(await upload(file, query, (sent, total) => setProgress({ sent, total })));
    } catch (err) {
      setProblem(FormProblem.from(err));
    } finally {
      setBusy(false);
    }
  };
  const uploaded = progress && progress.total > 0 ? progress.sent / progress.total : 0;
  const downloadHref =
    answer && answer.errors.length > 0
      ? URL.createObjectURL(new Blob([errorsCsv(answer.errors)], { type: 'text/csv' }))
      : null;

  return (
    <div className="page">
      <h1>Import entries</h1>
      <p className="muted">
        A CSV with a header line naming the columns contractLineId, transactionClass, date,
        quantity, unitPrice and optionally resource, role, category, description, externalKey.
        Uploading the same file again creates nothing twice.
      </p>
      <form className="card" onSubmit={submit} aria-label="Upload entries">
        <div className="row">
          <label>
            CSV file
            <input
              type="file"
              name="file"
              accept=".csv,text/csv"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          </label>
          <label>
            Bad rows
            <select value={mode} onChange={(e) => setMode(e.target.value)}>
              <option value="skip-bad-rows">Import the good rows, list the bad ones</option>
              <option value="all-or-nothing">Import nothing if any row is bad</option>
            </select>
          </label>
          <label className="inline">
            <input
              type="checkbox"
              checked={approve}
              onChange={(e) => setApprove(e.target.checked)}
            />
            Approve each imported entry
          </label>
          <GatedButton need="approve" type="submit" disabled={busy}>
            Upload and import
          </GatedButton>
        </div>
        {progress && busy && (
          <p>
            <progress aria-label="Upload progress" value={uploaded} max={1} />{' '}
            {uploaded < 1 ? `Uploading… ${Math.round(uploaded * 100)}%` : 'Uploaded; importing…'}
          </p>
        )}
        <ProblemSummary problem={problem} fields={[]} />
      </form>
      {answer && (
        <section className="card" aria-label="Import result">
          <p role="status">
            {answer.committed
              ? `Imported ${answer.imported} of ${answer.rows} rows`
              : `Nothing imported: ${answer.badRows} bad row${answer.badRows === 1 ? '' : 's'} and “import nothing if any row is bad” was chosen`}
            {answer.skipped > 0 ? `; ${answer.skipped} were imported before and skipped` : ''}
            {answer.approved > 0 ? `; ${answer.approved} approved` : ''}
            {answer.committed && answer.badRows > 0 ? `; ${answer.badRows} bad rows` : ''}.
          </p>
          {answer.errors.length > 0 && (
            <>
              {downloadHref && (
                <a href={downloadHref} download="import-errors.csv">
                  Download the error list (CSV)
                </a>
              )}
              {answer.errorsTruncated && (
                <p>Only the first {answer.errors.length} bad rows are listed.</p>
              )}
              <table className="grid compact" aria-label="Bad rows">
                <thead>
                  <tr>
                    <th className="right">Line</th>
                    <th>Problem</th>
                  </tr>
                </thead>
                <tbody>
                  {answer.errors.map((e, i) => (
                    <tr key={i}>
                      <td className="right num">{e.line}</td>
                      <td>{fieldSentence(e.field, e.reason)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </section>
      )}
    </div>
  );
}
