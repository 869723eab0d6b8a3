import { parse } from 'csv-parse/sync';
import type { ProblemCode } from './codes';
import type { CataloguedProblem } from './ajv';

/**
 * Reading the rows of an uploaded list (the sample list, quota targets) from CSV or JSON, before the
 * list's own checks. Pure: every problem is reported with its line and field, nothing is stored.
 */

/** A problem of one row (or of the file, on line 1 or the header's line). */
export interface RowProblem {
  line: number;
  field: string;
  code: ProblemCode;
  message: string;
}

/** A row problem as the API reports it: the path names the line and field. */
export function problemOfRow(p: RowProblem): CataloguedProblem {
  return { path: `/line/${p.line}${p.field ? `/${p.field}` : ''}`, code: p.code, message: `line ${p.line}${p.field ? `, ${p.field}` : ''}: ${p.message}` };
}

/** One row as read: its line in the file (a JSON list counts from 1) and its non-empty values. */
export interface ImportRow<F extends string> {
  line: number;
  values: Partial<Record<F, unknown>>;
}

/** What a list's rows hold: its fields (camelCase, as in JSON), their CSV column names, the required ones. */
export interface ImportLayout<F extends string> {
  fields: ReadonlyArray<F>;
  csvColumns: Readonly<Record<F, string>>;
  required: ReadonlyArray<F>;
}

export interface ReadRows<F extends string> {
  rows: Array<ImportRow<F>>;
  fileProblems: RowProblem[];
}

/** Reads CSV rows. Header problems (a missing or unknown column) make the whole file unreadable. */
export function readCsvRows<F extends string>(text: string, layout: ImportLayout<F>): ReadRows<F> {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    // With `info`, each record says on which line it ends: empty lines are skipped, so the index would lie.
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true, info: true }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    const reason = error instanceof Error ? error.message.replace(/^[^:]*:\s*/, '') : String(error);
    return { rows: [], fileProblems: [{ line, field: '', code: 'invalid_csv', message: `the file is not readable CSV: ${reason}` }] };
  }
  const [header, ...body] = records;
  if (!header) return { rows: [], fileProblems: [{ line: 1, field: '', code: 'required', message: 'the file is empty: it needs a header line and rows' }] };
  const byColumn = new Map<string, F>(layout.fields.map((f) => [layout.csvColumns[f], f]));
  const known = Object.values<string>(layout.csvColumns).join(', ');
  const fileProblems: RowProblem[] = [];
  const columns: Array<F | undefined> = header.record.map((name) => {
    const field = byColumn.get(name.toLowerCase());
    if (!field) fileProblems.push({ line: header.info.lines, field: name, code: 'unknown_field', message: `column "${name}" is not known; the columns are ${known}` });
    return field;
  });
  for (const field of layout.required) {
    if (!columns.includes(field)) {
      fileProblems.push({ line: header.info.lines, field: layout.csvColumns[field], code: 'required', message: `column ${layout.csvColumns[field]} is missing` });
    }
  }
  if (fileProblems.length > 0) return { rows: [], fileProblems };
  const rows = body.map(({ record, info }): ImportRow<F> => {
    const values: Partial<Record<F, unknown>> = {};
    columns.forEach((field, c) => {
      if (field && record[c] !== undefined && record[c] !== '') values[field] = record[c];
    });
    return { line: info.lines, values };
  });
  return { rows, fileProblems };
}

/** Reads JSON rows: objects with the camelCase field names. */
export function readJsonRows<F extends string>(items: ReadonlyArray<unknown>, layout: ImportLayout<F>): ReadRows<F> {
  const known = new Set<string>(layout.fields);
  const fileProblems: RowProblem[] = [];
  const rows: Array<ImportRow<F>> = [];
  items.forEach((item, i) => {
    const line = i + 1;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      fileProblems.push({ line, field: '', code: 'wrong_type', message: 'must be an object' });
      return;
    }
    const values: Partial<Record<F, unknown>> = {};
    for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
      if (!known.has(key)) fileProblems.push({ line, field: key, code: 'unknown_field', message: 'is not a known field' });
      else if (value !== null && value !== '') values[key as F] = value;
    }
    rows.push({ line, values });
  });
  return { rows, fileProblems };
}
