import { stringify } from 'csv-stringify/sync';
import type { CompiledForm } from '../../../survey-forms/form';
import { describePlaces, type ComparedRow } from '../../../survey-forms/index-engine/changes';
import { DIMENSION_OF_GROUPING, NATIONAL_GROUP, type Estimate, type Grouping } from '../../../survey-forms/index-engine/round-figures';
import { MODE_LABELS, type ResponseMode } from '../../../survey-forms/modes';
import { MULTI_REGION, REGIONS, UNIT_TYPE_LABELS, type BoundaryEdition, type ProvinceReference, type UnitType } from '../../../survey-forms/provinces';
import type { AggregateTable } from './aggregate.service';
import { type ROW_ESTIMATES, type RowField } from './aggregate.schema';

/** A row as the API shows it: only the fields asked for. */
export type AggregateRowView = Partial<Record<RowField, string | number | boolean | null>>;

const ESTIMATE_BASIS: Record<Estimate, { vi: string; en: string }> = {
  index: {
    vi: 'Chỉ số theo phương pháp: mỗi tỉnh tính từ tỷ lệ câu trả lời hài lòng trên câu trả lời hợp lệ; mỗi nhóm (toàn quốc, loại đơn vị, vùng, cấp, lĩnh vực, đối tượng) là trung bình cộng giản đơn của các tỉnh.',
    en: "The method's index: each province from its shares of satisfied among valid answers; every group (national, unit type, region, level, field, respondent type) the simple mean of its provinces.",
  },
  pooled: {
    vi: 'Ước lượng gộp theo người trả lời (trung bình điểm của mọi người trả lời trong nhóm), khoảng tin cậy Wilson 95%.',
    en: "Pooled respondent-level estimate (the mean of all the group's respondents' scores), 95% Wilson interval.",
  },
  weighted: {
    vi: 'Ước lượng gộp có trọng số thiết kế, khoảng tin cậy Wilson 95% theo cỡ mẫu hiệu dụng Kish.',
    en: 'Pooled estimate with design weights, 95% Wilson interval on Kish\'s effective sample size.',
  },
};

/** The Vietnamese name of a group of a grouping. */
export function groupLabel(by: Grouping, group: string, edition: BoundaryEdition, form: CompiledForm, provinces: ProvinceReference): string {
  switch (by) {
    case 'national':
      return group === NATIONAL_GROUP ? 'Toàn quốc' : group;
    case 'province':
      return provinces.province(edition, group)?.nameShort ?? group;
    case 'unit-type':
      return UNIT_TYPE_LABELS[group as UnitType]?.vi ?? group;
    case 'region':
      return group === MULTI_REGION.key ? MULTI_REGION.vi : (REGIONS.find((r) => r.key === group)?.vi ?? group);
    case 'mode':
      return MODE_LABELS[group as ResponseMode]?.vi ?? group;
    default: {
      const dimension = DIMENSION_OF_GROUPING[by];
      const item = dimension === 'mode' ? undefined : form.itemById.get(form.definition.dimensions[dimension]);
      return item?.options?.find((o) => String(o.code) === group)?.label.vi ?? group;
    }
  }
}

/** What a suppressed row withholds: every figure computed from too few respondents. */
const WITHHELD: ReadonlyArray<RowField> = ['value', 'low', 'high', 'rank', 'previousValue', 'previousRank', 'changePoints', 'changePlaces', 'changeText'];

function rowView(table: AggregateTable, row: ComparedRow, provinces: ProvinceReference, suppress: boolean): AggregateRowView {
  const estimate: (typeof ROW_ESTIMATES)[number] =
    table.estimate === 'index' ? (table.by === 'province' ? 'province-index' : 'mean-of-provinces') : table.estimate;
  const all: Record<RowField, string | number | boolean | null> = {
    group: row.group,
    label: groupLabel(table.by, row.group, table.edition, table.form, provinces),
    n: row.n,
    value: row.value,
    estimate,
    low: row.low,
    high: row.high,
    effectiveN: row.effectiveN,
    provinces: row.provinces,
    reliable: row.reliable,
    rank: row.rank,
    previousValue: row.previousValue,
    previousRank: row.previousRank,
    changePoints: row.changePoints,
    changePlaces: row.changePlaces,
    changeText: describePlaces(row.changePlaces)?.vi ?? null,
    suppressed: suppress && !row.reliable,
  };
  if (all.suppressed) for (const field of WITHHELD) all[field] = null;
  return Object.fromEntries(table.fields.map((f) => [f, all[f]]));
}

/**
 * A table of figures as the API shows it. With `suppress`, rows below the minimum n keep their n and
 * their mark but lose their figures (published outputs must not show them).
 */
export function presentAggregates(table: AggregateTable, provinces: ProvinceReference, options: { suppress?: boolean } = {}) {
  return {
    roundId: table.round.id,
    by: table.by,
    indicator: table.indicator.id,
    indicatorLevel: table.indicator.level,
    indicatorLabel: table.indicator.label,
    estimate: table.estimate,
    estimateBasis: ESTIMATE_BASIS[table.estimate],
    formId: table.round.formId,
    formVersion: table.round.formVersion,
    definitionId: table.stored?.definitionId ?? table.definition.definition.definitionId,
    definitionVersion: table.stored?.definitionVersion ?? table.definition.definition.version,
    minimumN: table.definition.minimumN,
    boundaryEdition: table.edition,
    roundBoundaryEdition: table.round.boundaryEdition,
    unitTypesOn: table.stored?.unitTypesOn ?? table.round.fieldworkStart,
    computedAt: table.stored?.computedAt.toISOString() ?? null,
    responses: table.stored?.responses ?? 0,
    weightedResponses: table.stored?.weightedResponses ?? 0,
    review: table.review,
    comparison: table.comparison,
    summary: table.figures.summary,
    fields: table.fields,
    suppressed: options.suppress ?? false,
    rows: table.rows.map((row) => rowView(table, row, provinces, options.suppress ?? false)),
  };
}

/** Decimal figures keep two decimals in CSV, as published. */
const TWO_DECIMALS = new Set<RowField>(['value', 'low', 'high', 'effectiveN', 'previousValue', 'changePoints']);

/** The rows as CSV with a byte-order mark (Excel then reads the Vietnamese labels as UTF-8); columns are the fields. */
export function aggregatesToCsv(fields: ReadonlyArray<RowField>, rows: ReadonlyArray<AggregateRowView>): string {
  const cell = (field: RowField, value: string | number | boolean | null | undefined): string => {
    if (value === null || value === undefined) return '';
    if (typeof value === 'number' && TWO_DECIMALS.has(field)) return value.toFixed(2);
    return String(value);
  };
  const body = stringify(
    rows.map((r) => fields.map((f) => cell(f, r[f]))),
    { header: true, columns: [...fields], record_delimiter: '\r\n' },
  );
  return `\uFEFF${body}`;
}
