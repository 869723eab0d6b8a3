import { stringify } from 'csv-stringify/sync';
import type { CompiledForm } from '../../../survey-forms/form';
import type { LocalizedText } from '../../../survey-forms/form-definition.schema';
import { MODE_LABELS, RESPONSE_MODES, type ResponseMode } from '../../../survey-forms/modes';
import type { BoundaryEdition, ProvinceReference } from '../../../survey-forms/provinces';

/**
 * Anonymised microdata: one row per counted response, one column per answer code.
 *
 * What is left out, and why:
 * - the response's UUID and sample unit id: either leads back to the sample list, where names,
 *   phones and addresses live; rows are numbered 1…n in a fixed order instead;
 * - who submitted it (the enumerator's account) and all paradata (times, place, device): they
 *   identify enumerators and, with the place and time of an interview, respondents;
 * - free-text items (procedure name, comments): respondents write names and phone numbers in them.
 * What stays: round, province code (labels in the codebook), mode of collection, design weight, and every coded answer.
 */

/** A column of the microdata file, with what the codebook says about it. */
export interface MicrodataColumn {
  name: string;
  label: LocalizedText;
  /** How the column's values read: codes with labels, a 0/1 flag of a multiple choice, a number. */
  kind: 'id' | 'code' | 'flag' | 'number' | 'text';
  /** Codes and their labels, for coded columns. */
  codes: ReadonlyArray<{ code: string | number; label: LocalizedText }>;
  /** Where the value comes from in a stored response. */
  source: { from: 'row-number' } | { from: 'field'; field: 'roundId' | 'provinceCode' | 'weight' } | { from: 'mode' } | { from: 'answer'; item: string } | { from: 'choice'; item: string; code: string | number };
}

/** What a row is made from: the stored response, without anything personal being read. */
export interface MicrodataSource {
  roundId: string;
  provinceCode: string;
  weight?: number | null;
  /** Absent on responses stored before modes existed: they were interviews (capi). */
  mode?: ResponseMode | null;
  answers: Record<string, unknown>;
}

export type MicrodataValue = string | number | null;

/** Items left out of microdata because respondents may write anything in them. */
export function isFreeText(form: CompiledForm, itemId: string): boolean {
  return form.itemById.get(itemId)?.item.type === 'text';
}

const FLAG_CODES = [
  { code: 1, label: { vi: 'Có chọn', en: 'Selected' } },
  { code: 0, label: { vi: 'Không chọn', en: 'Not selected' } },
];

/** The columns of a round's microdata, in questionnaire order. */
export function microdataColumns(form: CompiledForm, provinces: ProvinceReference, edition: BoundaryEdition): MicrodataColumn[] {
  const columns: MicrodataColumn[] = [
    {
      name: 'respondent_no',
      label: { vi: 'Số thứ tự người trả lời trong tệp (không liên kết được với danh sách mẫu)', en: 'Respondent number in this file (not linkable to the sample list)' },
      kind: 'id',
      codes: [],
      source: { from: 'row-number' },
    },
    { name: 'round_id', label: { vi: 'Đợt khảo sát', en: 'Survey round' }, kind: 'text', codes: [], source: { from: 'field', field: 'roundId' } },
    {
      name: 'province_code',
      label: { vi: 'Mã tỉnh, thành phố', en: 'Province code' },
      kind: 'code',
      codes: provinces.provinces(edition).map((p) => ({ code: p.code, label: { vi: p.name, en: p.nameEn } })),
      source: { from: 'field', field: 'provinceCode' },
    },
    { name: 'weight', label: { vi: 'Trọng số thiết kế (trống: 1)', en: 'Design weight (empty: 1)' }, kind: 'number', codes: [], source: { from: 'field', field: 'weight' } },
    {
      name: 'mode',
      label: { vi: 'Phương thức thu thập', en: 'Mode of collection' },
      kind: 'code',
      codes: RESPONSE_MODES.map((m) => ({ code: m, label: MODE_LABELS[m] })),
      source: { from: 'mode' },
    },
  ];
  for (const { item, options, scale } of form.items) {
    switch (item.type) {
      case 'text':
        break;
      case 'multiple':
        for (const option of options ?? []) {
          columns.push({
            name: `${item.id}_${option.code}`,
            label: { vi: `${item.label.vi} — ${option.label.vi}`, en: `${item.label.en} — ${option.label.en}` },
            kind: 'flag',
            codes: FLAG_CODES,
            source: { from: 'choice', item: item.id, code: option.code },
          });
        }
        break;
      case 'integer':
        columns.push({ name: item.id, label: item.label, kind: 'number', codes: [], source: { from: 'answer', item: item.id } });
        break;
      case 'scale': {
        const codes = [...(scale?.options ?? []), ...(scale?.notApplicable ? [scale.notApplicable] : [])];
        columns.push({ name: item.id, label: item.label, kind: 'code', codes: codes.map((o) => ({ code: o.code, label: o.label })), source: { from: 'answer', item: item.id } });
        break;
      }
      case 'single':
        columns.push({ name: item.id, label: item.label, kind: 'code', codes: (options ?? []).map((o) => ({ code: o.code, label: o.label })), source: { from: 'answer', item: item.id } });
        break;
    }
  }
  return columns;
}

/** A value as it goes in a cell: numbers and codes as they are, anything else (not asked) empty. */
function cellOf(value: unknown): MicrodataValue {
  if (typeof value === 'number' || typeof value === 'string') return value;
  return null;
}

/**
 * One response as a microdata row. An item not asked (skipped) is empty; a multiple choice not asked
 * is empty in each of its flag columns, asked and not chosen is 0.
 */
export function microdataRow(columns: ReadonlyArray<MicrodataColumn>, response: MicrodataSource, rowNumber: number): MicrodataValue[] {
  return columns.map((column) => {
    const source = column.source;
    switch (source.from) {
      case 'row-number':
        return rowNumber;
      case 'field':
        return cellOf(response[source.field]);
      case 'mode':
        return response.mode ?? 'capi';
      case 'answer':
        return cellOf(response.answers[source.item]);
      case 'choice': {
        const chosen = response.answers[source.item];
        if (!Array.isArray(chosen)) return null;
        return chosen.includes(source.code) ? 1 : 0;
      }
    }
  });
}

/** The fields a microdata export reads from MongoDB: nothing else leaves the database. */
export const MICRODATA_PROJECTION = { roundId: 1, provinceCode: 1, weight: 1, mode: 1, answers: 1 } as const;

/** The codebook as rows: one per column, and one per code of each coded column. */
export interface CodebookRow {
  column: string;
  kind: MicrodataColumn['kind'] | 'indicator' | 'field';
  labelVi: string;
  labelEn: string;
  code: string | number | null;
  codeLabelVi: string | null;
  codeLabelEn: string | null;
}

export function codebookRows(columns: ReadonlyArray<Pick<MicrodataColumn, 'name' | 'kind' | 'label' | 'codes'>>): CodebookRow[] {
  return columns.flatMap((c) => [
    { column: c.name, kind: c.kind, labelVi: c.label.vi, labelEn: c.label.en, code: null, codeLabelVi: null, codeLabelEn: null },
    ...c.codes.map((code) => ({ column: c.name, kind: c.kind, labelVi: '', labelEn: '', code: code.code, codeLabelVi: code.label.vi, codeLabelEn: code.label.en })),
  ]);
}

/** The codebook as a CSV table, one line per row (the byte-order mark is the reply's to add). */
export function codebookToCsv(rows: ReadonlyArray<CodebookRow>): string {
  const columns = ['column', 'kind', 'labelVi', 'labelEn', 'code', 'codeLabelVi', 'codeLabelEn'] as const;
  return stringify(
    rows.map((r) => columns.map((c) => r[c] ?? '')),
    { header: true, columns: [...columns], record_delimiter: '\r\n' },
  );
}
