import type { CompiledForm } from './form';
import type { AnswerCode, Dimension } from './form-definition.schema';
import type { BoundaryEdition, ProvinceReference } from './provinces';
import { readCsvRows, readJsonRows, type ImportLayout, type ImportRow, type ReadRows, type RowProblem } from './import-rows';

/**
 * Quota targets of a round: how many accepted interviews each cell — province × serving level ×
 * service field, and respondent type where set — must reach. Pure: reads and checks rows, as the
 * sample import does (every problem of every row, with its line and field), stores nothing.
 */

export const QUOTA_FIELDS = ['provinceCode', 'servingLevel', 'serviceField', 'respondentType', 'target'] as const;
export type QuotaField = (typeof QUOTA_FIELDS)[number];

export const QUOTA_CSV_COLUMNS: Readonly<Record<QuotaField, string>> = {
  provinceCode: 'province_code',
  servingLevel: 'serving_level',
  serviceField: 'service_field',
  respondentType: 'respondent_type',
  target: 'target',
};
const REQUIRED: ReadonlyArray<QuotaField> = ['provinceCode', 'servingLevel', 'serviceField', 'target'];
/** Most rows one import takes: 63 provinces × 3 levels × 16 fields × a few respondent types, with room. */
export const MAX_QUOTA_ROWS = 20_000;
/** Largest target of one cell. */
export const MAX_TARGET = 100_000;

/** A cell of the quota grid; `respondentType` null when the target covers every respondent type. */
export interface QuotaCell {
  provinceCode: string;
  servingLevel: AnswerCode;
  serviceField: AnswerCode;
  respondentType: AnswerCode | null;
}

export interface QuotaTargetInput extends QuotaCell {
  line: number;
  target: number;
}

export type QuotaRawRow = ImportRow<QuotaField>;

/** The key of a cell, the same for the target and the counts. */
export function quotaCellKey(cell: QuotaCell): string {
  return [cell.provinceCode, String(cell.servingLevel), String(cell.serviceField), cell.respondentType === null ? '*' : String(cell.respondentType)].join('|');
}

const QUOTA_LAYOUT: ImportLayout<QuotaField> = { fields: QUOTA_FIELDS, csvColumns: QUOTA_CSV_COLUMNS, required: REQUIRED };

/** Reads quota targets from CSV. A missing or unknown column makes the whole file unreadable. */
export function readQuotaCsv(text: string): ReadRows<QuotaField> {
  return readCsvRows(text, QUOTA_LAYOUT);
}

/** Reads quota targets from JSON objects with the camelCase field names; a list counts from 1. */
export function readQuotaJson(targets: ReadonlyArray<unknown>): ReadRows<QuotaField> {
  return readJsonRows(targets, QUOTA_LAYOUT);
}

export interface QuotaCheckContext {
  form: CompiledForm;
  provinces: ProvinceReference;
  edition: BoundaryEdition;
  /** Provinces the importer may touch; undefined for all. */
  allowedProvinces?: ReadonlySet<string>;
}

/** Checks every row and reports every problem; a cell named twice is a problem of its second row. */
export function checkQuotaRows(rows: ReadonlyArray<QuotaRawRow>, ctx: QuotaCheckContext): { targets: QuotaTargetInput[]; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const targets: QuotaTargetInput[] = [];
  const firstLine = new Map<string, number>();
  const codesOf = (dimension: Dimension): ReadonlyArray<AnswerCode> => ctx.form.itemById.get(ctx.form.definition.dimensions[dimension])?.codes ?? [];
  for (const { line, values } of rows) {
    const before = problems.length;
    const report = (field: QuotaField, code: RowProblem['code'], message: string): void => {
      problems.push({ line, field, code, message });
    };
    let provinceCode: string | null = null;
    const rawProvince = values.provinceCode;
    if (rawProvince === undefined) report('provinceCode', 'required', 'is required');
    else if (typeof rawProvince !== 'string' && typeof rawProvince !== 'number') report('provinceCode', 'wrong_type', 'must be text');
    else {
      const code = String(rawProvince).trim().padStart(2, '0');
      if (!ctx.provinces.province(ctx.edition, code)) report('provinceCode', 'unknown_province', `is not a province of the ${ctx.edition}-unit edition this round uses`);
      else if (ctx.allowedProvinces && !ctx.allowedProvinces.has(code)) report('provinceCode', 'forbidden', 'is not one of your provinces');
      else provinceCode = code;
    }
    const dimension = (field: Dimension, required: boolean): AnswerCode | null | undefined => {
      const raw = values[field];
      if (raw === undefined) {
        if (required) report(field, 'required', 'is required');
        return required ? undefined : null;
      }
      const codes = codesOf(field);
      const found = typeof raw === 'string' || typeof raw === 'number' ? codes.find((c) => String(c) === String(raw).trim()) : undefined;
      if (found === undefined) report(field, 'not_in_options', `must be one of ${codes.map(String).join(', ')}`);
      return found;
    };
    const servingLevel = dimension('servingLevel', true);
    const serviceField = dimension('serviceField', true);
    const respondentType = dimension('respondentType', false);
    let target: number | undefined;
    const rawTarget = values.target;
    if (rawTarget === undefined) report('target', 'required', 'is required');
    else {
      const n = typeof rawTarget === 'number' ? rawTarget : typeof rawTarget === 'string' && /^\s*\d+\s*$/.test(rawTarget) ? Number(rawTarget) : NaN;
      if (!Number.isInteger(n) || n < 0) report('target', 'wrong_type', 'must be a whole number, 0 or more');
      else if (n > MAX_TARGET) report('target', 'too_large', `must be at most ${MAX_TARGET}`);
      else target = n;
    }
    if (problems.length > before || provinceCode === null || servingLevel == null || serviceField == null || respondentType === undefined || target === undefined) continue;
    const cell: QuotaCell = { provinceCode, servingLevel, serviceField, respondentType };
    const key = quotaCellKey(cell);
    const first = firstLine.get(key);
    if (first !== undefined) {
      report('provinceCode', 'repeated', `this cell is also on line ${first}`);
      continue;
    }
    firstLine.set(key, line);
    targets.push({ line, ...cell, target });
  }
  return { targets, problems };
}

/** A cell an import sets to a new target: `before` is null where the cell has none yet. */
export interface QuotaChange extends QuotaCell {
  line: number;
  before: number | null;
  after: number;
}

/**
 * What importing checked rows would change, given the stored targets by cell key: each cell whose
 * target differs (new cells included), in file order, and how many rows change nothing.
 */
export function quotaChanges(targets: ReadonlyArray<QuotaTargetInput>, stored: ReadonlyMap<string, number>): { changes: QuotaChange[]; unchanged: number } {
  const changes: QuotaChange[] = [];
  let unchanged = 0;
  for (const t of targets) {
    const before = stored.get(quotaCellKey(t)) ?? null;
    if (before === t.target) unchanged += 1;
    else changes.push({ line: t.line, provinceCode: t.provinceCode, servingLevel: t.servingLevel, serviceField: t.serviceField, respondentType: t.respondentType, before, after: t.target });
  }
  return { changes: changes.sort((a, b) => a.line - b.line), unchanged };
}
