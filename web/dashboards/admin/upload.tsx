import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { codeMessage, isCode } from '../../../survey-forms/codes';
import { ApiError, saveFile, type Upload, type UploadOptions } from '../../shared/api-client';
import type { Lang } from '../../shared/i18n';
import { translate } from './i18n';

/** One problem of an uploaded row, as every list upload reports it. */
export interface RowProblem {
  line: number;
  field: string;
  code: string;
  message: string;
}

/** A refused upload's problems (`/line/<n>/<field>` paths) as rows. */
export function problemsOfError(error: unknown): RowProblem[] {
  if (!(error instanceof ApiError)) return [];
  return error.details.map((d) => {
    const [, line, field] = /^\/line\/(\d+)(?:\/(.*))?$/.exec(d.path) ?? [];
    return { line: Number(line ?? 0), field: field ?? d.path, code: d.code, message: d.message };
  });
}

/** Reads a chosen file as the API takes it: CSV as text, a workbook as base64. */
export async function readUpload(file: File): Promise<Upload> {
  if (/\.xlsx$/i.test(file.name)) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { xlsx: btoa(binary) };
  }
  return { csv: await file.text() };
}

const csvCell = (value: string | number): string => (/[",\n]/.test(String(value)) ? `"${String(value).replace(/"/g, '""')}"` : String(value));

/** Rows as a CSV file (UTF-8 with a byte-order mark, so Excel reads Vietnamese) handed to the browser to save. */
export function saveCsv(fileName: string, header: string[], rows: Array<Array<string | number>>): void {
  const text = [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n');
  saveFile(new Blob([`\uFEFF${text}\r\n`], { type: 'text/csv;charset=utf-8' }), fileName);
}

/** The problems of a file in a table, each reason in the reader's language, and as a CSV to fix offline. */
export function ProblemTable(props: { lang: Lang; problems: ReadonlyArray<RowProblem>; fileName: string }) {
  const t = translate(props.lang);
  if (props.problems.length === 0) return null;
  const reason = (p: RowProblem) => `${isCode(p.code) ? codeMessage(p.code, props.lang) : p.code} (${p.message})`;
  return (
    <div class="problems">
      <h3>{t('problems')}</h3>
      <button type="button" onClick={() => saveCsv(props.fileName, ['line', 'field', 'code', 'reason'], props.problems.map((p) => [p.line, p.field, p.code, reason(p)]))}>
        {t('downloadProblems')}
      </button>
      <table>
        <thead>
          <tr>
            <th class="num">{t('line')}</th>
            <th>{t('field')}</th>
            <th>{t('reason')}</th>
          </tr>
        </thead>
        <tbody>
          {props.problems.map((p) => (
            <tr class="problem" key={`${p.line}/${p.field}/${p.code}`}>
              <td class="num">{p.line}</td>
              <td>{p.field}</td>
              <td>{reason(p)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface UploadReply {
  imported: number;
  skipped: number;
  valid?: number;
  problems: RowProblem[];
}

/**
 * A list upload with its preview: choose a file, check it (every row problem in a table, nothing
 * stored), then import it all-or-nothing or skip the bad rows. `send` calls the API.
 */
export function UploadPanel<R extends UploadReply>(props: {
  lang: Lang;
  label: string;
  name: string;
  canPreview: boolean;
  send: (upload: Upload, options: UploadOptions) => Promise<R>;
  onDone: (reply: R) => void;
  /** What a preview shows besides the problems (the quota upload: each cell that would change). */
  showPreview?: (reply: R) => ComponentChildren;
}) {
  const t = translate(props.lang);
  const [upload, setUpload] = useState<Upload | null>(null);
  const [problems, setProblems] = useState<RowProblem[]>([]);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [preview, setPreview] = useState<R | null>(null);
  const run = async (options: UploadOptions) => {
    if (!upload) return;
    setError(null);
    setNote(null);
    setPreview(null);
    try {
      const reply = await props.send(upload, options);
      setProblems(reply.problems);
      if (options.dryRun) {
        setNote(t('previewResult', { valid: reply.valid ?? 0, bad: reply.skipped }));
        setPreview(reply);
      }
      else {
        setNote(t('imported', { count: reply.imported, skipped: reply.skipped }));
        props.onDone(reply);
      }
    } catch (e) {
      setProblems(problemsOfError(e));
      setError(t('error', { message: e instanceof Error ? e.message : String(e) }));
    }
  };
  return (
    <div class="upload">
      <label>
        {props.label}
        <input
          type="file"
          name={props.name}
          accept=".csv,.xlsx,text/csv"
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            setProblems([]);
            setNote(null);
            setUpload(null);
            setPreview(null);
            if (file) void readUpload(file).then(setUpload);
          }}
        />
      </label>
      <div class="actions">
        {props.canPreview && (
          <button type="button" disabled={!upload} onClick={() => void run({ dryRun: true })}>
            {t('check')}
          </button>
        )}
        <button type="button" class="primary" disabled={!upload} onClick={() => void run({})}>
          {t('importAll')}
        </button>
        <button type="button" disabled={!upload} onClick={() => void run({ skipInvalid: true })}>
          {t('importValid')}
        </button>
      </div>
      {note && <p role="status">{note}</p>}
      {error && <p class="error" role="alert">{error}</p>}
      {preview && props.showPreview?.(preview)}
      <ProblemTable lang={props.lang} problems={problems} fileName={`${props.name}-problems.csv`} />
    </div>
  );
}
