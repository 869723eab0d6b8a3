import { readCsvRows, readJsonRows, type ImportLayout, type ImportRow, type ReadRows, type RowProblem } from './import-rows';

/**
 * A list of enumerators to create at once, as a post office's coordinator keeps it in a
 * spreadsheet: one row per person. Pure: reads and checks rows, stores nothing. The fields are a
 * table (`USER_IMPORT_FIELDS`): a new column is one entry there, with its check.
 */

/** What a checked row gives, field by field. */
export interface UserImportInput {
  line: number;
  username: string;
  displayName: string;
  provinces: string[];
}

type Checked<T> = { value: T } | { problem: Pick<RowProblem, 'code' | 'message'> };

interface FieldSpec<T> {
  /** CSV column (snake_case). */
  column: string;
  required: boolean;
  /** Checks a non-empty raw value. */
  check: (raw: unknown, ctx: UserImportContext) => Checked<T>;
}

export interface UserImportContext {
  /** Whether a two-digit code is a province of either boundary edition. */
  isProvince: (code: string) => boolean;
  /** Usernames already taken. */
  existing: ReadonlySet<string>;
}

/** Usernames as the API takes them: lower-case letters, digits, dot, dash, underscore. */
export const USERNAME_PATTERN = '^[a-z0-9._-]{3,40}$';
const USERNAME = new RegExp(USERNAME_PATTERN);

const text = (raw: unknown): string | undefined => (typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : undefined);

/** The columns of an enumerator list. */
export const USER_IMPORT_FIELDS = {
  username: {
    column: 'username',
    required: true,
    check: (raw) => {
      const value = text(raw)?.toLowerCase();
      if (value === undefined) return { problem: { code: 'wrong_type', message: 'must be text' } };
      if (!USERNAME.test(value)) return { problem: { code: 'wrong_format', message: 'must be 3–40 lower-case letters, digits, dots, dashes or underscores' } };
      return { value };
    },
  } satisfies FieldSpec<string>,
  displayName: {
    column: 'display_name',
    required: true,
    check: (raw) => {
      const value = text(raw);
      if (value === undefined) return { problem: { code: 'wrong_type', message: 'must be text' } };
      if (value.length > 120) return { problem: { code: 'too_long', message: 'must have at most 120 characters' } };
      return { value };
    },
  } satisfies FieldSpec<string>,
  provinces: {
    column: 'provinces',
    required: true,
    check: (raw, ctx) => {
      const value = text(raw);
      if (value === undefined) return { problem: { code: 'wrong_type', message: 'must be text' } };
      // "01; 79" or "01 79": spreadsheets write lists either way; "1" is province 01.
      const codes = [...new Set(value.split(/[\s;,]+/).filter(Boolean).map((c) => (/^\d$/.test(c) ? `0${c}` : c)))].sort();
      const unknown = codes.filter((c) => !/^\d{2}$/.test(c) || !ctx.isProvince(c));
      if (unknown.length > 0) return { problem: { code: 'unknown_province', message: `${unknown.join(', ')} ${unknown.length === 1 ? 'is not a province code' : 'are not province codes'}` } };
      if (codes.length === 0) return { problem: { code: 'required', message: 'is required: the provinces the enumerator works in' } };
      return { value: codes };
    },
  } satisfies FieldSpec<string[]>,
} as const;

export type UserImportField = keyof typeof USER_IMPORT_FIELDS;
const FIELDS = Object.keys(USER_IMPORT_FIELDS) as UserImportField[];

const LAYOUT: ImportLayout<UserImportField> = {
  fields: FIELDS,
  csvColumns: Object.fromEntries(FIELDS.map((f) => [f, USER_IMPORT_FIELDS[f].column])) as Record<UserImportField, string>,
  required: FIELDS.filter((f) => USER_IMPORT_FIELDS[f].required),
};

/** Most rows one import takes (each account's password is hashed, on purpose slowly). */
export const MAX_USER_IMPORT_ROWS = 2000;

export function readUserCsv(csv: string): ReadRows<UserImportField> {
  return readCsvRows(csv, LAYOUT);
}

export function readUserJson(items: ReadonlyArray<unknown>): ReadRows<UserImportField> {
  return readJsonRows(items, LAYOUT);
}

/** The CSV header of an enumerator list, for a template to download. */
export const USER_IMPORT_HEADER = FIELDS.map((f) => USER_IMPORT_FIELDS[f].column).join(',');

/** Checks every row and reports every problem, so a list is fixed in one pass. */
export function checkUserRows(rows: ReadonlyArray<ImportRow<UserImportField>>, ctx: UserImportContext): { users: UserImportInput[]; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const users: UserImportInput[] = [];
  const firstLine = new Map<string, number>();
  for (const { line, values } of rows) {
    const before = problems.length;
    const got: Partial<Record<UserImportField, unknown>> = {};
    for (const field of FIELDS) {
      const spec = USER_IMPORT_FIELDS[field] as FieldSpec<unknown>;
      const raw = values[field];
      if (raw === undefined || (typeof raw === 'string' && raw.trim() === '')) {
        if (spec.required) problems.push({ line, field, code: 'required', message: 'is required' });
        continue;
      }
      const checked = spec.check(raw, ctx);
      if ('problem' in checked) problems.push({ line, field, ...checked.problem });
      else got[field] = checked.value;
    }
    const username = got.username as string | undefined;
    if (username !== undefined) {
      if (firstLine.has(username)) problems.push({ line, field: 'username', code: 'repeated', message: `is also on line ${String(firstLine.get(username))}` });
      else {
        firstLine.set(username, line);
        if (ctx.existing.has(username)) problems.push({ line, field: 'username', code: 'already_exists', message: 'is already taken' });
      }
    }
    if (problems.length === before && username !== undefined) {
      users.push({ line, username, displayName: got.displayName as string, provinces: got.provinces as string[] });
    }
  }
  return { users, problems };
}
