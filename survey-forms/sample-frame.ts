import type { CompiledForm } from './form';
import type { AnswerCode, Dimension } from './form-definition.schema';
import { readCsvRows, readJsonRows, type ImportLayout, type ImportRow, type ReadRows, type RowProblem } from './import-rows';
import type { BoundaryEdition, ProvinceReference } from './provinces';

/**
 * The sample list of a round, as the provincial Department of Home Affairs hands it to the post
 * office: one row per sampled person or organisation. Pure: reads and checks rows, stores nothing.
 */

/** Fields of a sample row, in the order of the CSV columns. */
export const SAMPLE_FIELDS = [
  'unitId',
  'provinceCode',
  'servingLevel',
  'serviceField',
  'respondentType',
  'name',
  'phone',
  'address',
  'procedure',
  'postOffice',
] as const;
export type SampleField = (typeof SAMPLE_FIELDS)[number];

/** CSV column of each field (snake_case, as spreadsheets are usually written). */
export const SAMPLE_CSV_COLUMNS: Readonly<Record<SampleField, string>> = {
  unitId: 'unit_id',
  provinceCode: 'province_code',
  servingLevel: 'serving_level',
  serviceField: 'service_field',
  respondentType: 'respondent_type',
  name: 'name',
  phone: 'phone',
  address: 'address',
  procedure: 'procedure',
  postOffice: 'post_office',
};

const REQUIRED_FIELDS: ReadonlyArray<SampleField> = ['unitId', 'provinceCode', 'servingLevel', 'serviceField', 'respondentType', 'name'];
const DIMENSION_FIELDS: ReadonlyArray<Dimension> = ['servingLevel', 'serviceField', 'respondentType'];

/** Sample unit ids go into keys and URLs: no slash, no bar, no space. */
export const SAMPLE_UNIT_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';
const UNIT_ID = new RegExp(SAMPLE_UNIT_ID_PATTERN);
const PHONE = /^\+?[0-9 .()-]+$/;

/** Most rows one import takes: a large province's sample with room to spare. */
export const MAX_SAMPLE_ROWS = 50_000;

/** A problem of one row: `line` is the line of a CSV file (the header is line 1) or the position (from 1) in a JSON list. */

/** Names, phone and address: personal data, kept apart from everything else. */
export interface PersonalData {
  name: string;
  phone: string | null;
  address: string | null;
}

/** A checked row. */
export interface SampleUnitInput {
  line: number;
  unitId: string;
  provinceCode: string;
  servingLevel: AnswerCode;
  serviceField: AnswerCode;
  respondentType: AnswerCode;
  /** The administrative procedure the person completed, as the agency recorded it. */
  procedure: string | null;
  /** The post office that works the unit (optional column `post_office`). */
  postOffice: string | null;
  contact: PersonalData;
}

/** A row before checking: field → raw value. */
export type RawRow = ImportRow<SampleField>;

const SAMPLE_LAYOUT: ImportLayout<SampleField> = { fields: SAMPLE_FIELDS, csvColumns: SAMPLE_CSV_COLUMNS, required: REQUIRED_FIELDS };

/** Reads a CSV sample list. Header problems (a missing or unknown column) make the whole file unreadable. */
export function readSampleCsv(text: string): ReadRows<SampleField> {
  return readCsvRows(text, SAMPLE_LAYOUT);
}

/** Reads a JSON sample list (objects with the camelCase field names). */
export function readSampleJson(units: ReadonlyArray<unknown>): ReadRows<SampleField> {
  return readJsonRows(units, SAMPLE_LAYOUT);
}

/** Keeps only digits, and writes +84… as 0…: the same phone in two spellings is one phone. */
export function normalizePhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return phone.trim().startsWith('+84') ? `0${digits.slice(2)}` : digits;
}

export interface SampleCheckContext {
  form: CompiledForm;
  provinces: ProvinceReference;
  edition: BoundaryEdition;
  /** Provinces the importer may touch; undefined for all. */
  allowedProvinces?: ReadonlySet<string>;
  /** Unit ids already in the round's sample. */
  existing: ReadonlySet<string>;
  /** Known post offices: code → province. A unit's post office must be one of its province. */
  postOffices?: ReadonlyMap<string, string>;
  /** For a post-office supervisor: the one post office whose units they may import. */
  allowedPostOffice?: string;
}

/** Checks every row and reports every problem, so a file is fixed in one pass. */
export function checkSampleRows(rows: ReadonlyArray<RawRow>, ctx: SampleCheckContext): { units: SampleUnitInput[]; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const units: SampleUnitInput[] = [];
  const firstLine = new Map<string, number>();
  const codesOf = (dimension: Dimension): ReadonlyArray<AnswerCode> =>
    ctx.form.itemById.get(ctx.form.definition.dimensions[dimension])?.codes ?? [];

  for (const { line, values } of rows) {
    const before = problems.length;
    const report = (field: SampleField, code: RowProblem['code'], message: string): void => {
      problems.push({ line, field, code, message });
    };
    const text = (field: SampleField, max: number): string | null => {
      const value = values[field];
      if (value === undefined) {
        if (REQUIRED_FIELDS.includes(field)) report(field, 'required', 'is required');
        return null;
      }
      if (typeof value !== 'string' && typeof value !== 'number') {
        report(field, 'wrong_type', 'must be text');
        return null;
      }
      const trimmed = String(value).trim();
      if (trimmed.length > max) report(field, 'too_long', `must have at most ${max} characters`);
      if (trimmed === '' && REQUIRED_FIELDS.includes(field)) report(field, 'required', 'is required');
      return trimmed === '' ? null : trimmed;
    };

    const unitId = text('unitId', 64);
    if (unitId !== null) {
      if (!UNIT_ID.test(unitId)) {
        report('unitId', 'wrong_format', 'must be 1–64 letters, digits, dots, dashes or underscores, starting with a letter or digit');
      } else if (firstLine.has(unitId)) {
        report('unitId', 'repeated', `is also on line ${String(firstLine.get(unitId))}`);
      } else {
        firstLine.set(unitId, line);
        if (ctx.existing.has(unitId)) report('unitId', 'already_imported', "is already in this round's sample");
      }
    }

    const provinceCode = text('provinceCode', 2);
    if (provinceCode !== null) {
      const code = /^\d$/.test(provinceCode) ? `0${provinceCode}` : provinceCode;
      if (!ctx.provinces.province(ctx.edition, code)) {
        report('provinceCode', 'unknown_province', `is not a province of the ${ctx.edition}-unit edition this round uses`);
      } else if (ctx.allowedProvinces && !ctx.allowedProvinces.has(code)) {
        report('provinceCode', 'forbidden', 'is not one of your provinces');
      }
    }

    const dimensions = {} as Record<Dimension, AnswerCode>;
    for (const dimension of DIMENSION_FIELDS) {
      const raw = values[dimension];
      if (raw === undefined) {
        report(dimension, 'required', 'is required');
        continue;
      }
      const codes = codesOf(dimension);
      const found = typeof raw === 'string' || typeof raw === 'number' ? codes.find((c) => String(c) === String(raw).trim()) : undefined;
      if (found === undefined) {
        report(dimension, 'not_in_options', `must be one of ${codes.map((c) => String(c)).join(', ')}`);
      } else {
        dimensions[dimension] = found;
      }
    }

    const name = text('name', 200);
    const phone = text('phone', 30);
    if (phone !== null) {
      const digits = normalizePhone(phone).length;
      if (!PHONE.test(phone) || digits < 8 || digits > 15) report('phone', 'wrong_format', 'must be a phone number of 8–15 digits');
    }
    const address = text('address', 500);
    const procedure = text('procedure', 300);
    const postOffice = text('postOffice', 32);
    const province = provinceCode === null ? null : provinceCode.padStart(2, '0');
    if (postOffice !== null) {
      const officeProvince = ctx.postOffices?.get(postOffice);
      if (officeProvince === undefined) report('postOffice', 'unknown_post_office', 'is not a known post office');
      else if (province !== null && officeProvince !== province) report('postOffice', 'unknown_post_office', `is a post office of province ${officeProvince}, not ${province}`);
    }
    if (ctx.allowedPostOffice !== undefined && postOffice !== ctx.allowedPostOffice) {
      report('postOffice', 'post_office_not_yours', `must be your post office ${ctx.allowedPostOffice}`);
    }

    if (problems.length === before && unitId !== null && provinceCode !== null && name !== null) {
      units.push({
        line,
        unitId,
        provinceCode: provinceCode.padStart(2, '0'),
        servingLevel: dimensions.servingLevel,
        serviceField: dimensions.serviceField,
        respondentType: dimensions.respondentType,
        procedure,
        postOffice,
        contact: { name, phone, address },
      });
    }
  }
  return { units, problems };
}
