import ExcelJS from 'exceljs';
import type { LocalizedText } from '../../../survey-forms/form-definition.schema';
import type { CompiledIndexDefinition } from '../../../survey-forms/index-definition';
import { MULTI_REGION, REGIONS, UNIT_TYPE_LABELS, UNIT_TYPES, unitTypeMembers, type BoundaryEdition, type ProvinceReference } from '../../../survey-forms/provinces';
import type { AggregateRowView, presentAggregates } from '../aggregates/aggregate.present';
import { AggregateRow, type RowField } from '../aggregates/aggregate.schema';

export type AggregatesView = ReturnType<typeof presentAggregates>;

/** How many stored responses of one review status there are, and how many of them the figures count. */
export interface ReviewGroup {
  reviewStatus: string | null;
  stored: number;
  counted: number;
}

/** Why responses of a review status are (or are not) in the figures, as the metadata says it. */
const REVIEW_STATUS_LABELS: Record<string, LocalizedText> = {
  none: { vi: 'Chưa qua quy trình duyệt (tính vào kết quả)', en: 'Not under review (counted)' },
  unchecked: { vi: 'Chưa kiểm tra chất lượng', en: 'Quality checks not yet run' },
  clear: { vi: 'Đạt kiểm tra chất lượng', en: 'Passed the quality checks' },
  flagged: { vi: 'Bị gắn cờ, chờ giám sát viên xem xét', en: 'Flagged, awaiting a supervisor\'s review' },
  approved: { vi: 'Giám sát viên đã duyệt', en: 'Approved by a supervisor' },
  rejected: { vi: 'Giám sát viên đã loại', en: 'Rejected by a supervisor' },
};

export function reviewStatusLabel(status: string | null): LocalizedText {
  return REVIEW_STATUS_LABELS[status ?? 'none'] ?? { vi: status ?? '', en: status ?? '' };
}

/** What a download says about itself: where the figures come from and what was left out. */
export interface DownloadMetadata {
  roundId: string;
  roundYear: number;
  formId: string;
  formVersion: string;
  definitionId: string;
  definitionVersion: string;
  boundaryEdition: BoundaryEdition;
  roundBoundaryEdition: BoundaryEdition;
  /** The date whose unit types group the provinces: the round's fieldwork start. */
  unitTypesOn: string;
  indicator: string;
  indicatorLabel: LocalizedText;
  by: string;
  estimate: string;
  estimateBasis: LocalizedText;
  minimumN: number;
  computedAt: string | null;
  generatedAt: string;
  /** Responses counted in the figures as computed. */
  responsesInFigures: number;
  /** Stored responses by review status: included are counted, excluded are not. */
  responsesByReview: Array<{ reviewStatus: string | null; label: LocalizedText; stored: number; included: number; excluded: number }>;
  suppress: boolean;
  /** Rows below the minimum n: suppressed when `suppress`, else only marked. */
  belowMinimumN: Array<{ group: string; label: string; n: number; suppressed: boolean }>;
}

export function downloadMetadata(view: AggregatesView, input: { roundYear: number; review: ReadonlyArray<ReviewGroup>; generatedAt: Date; reliability: ReadonlyArray<{ group: string; label: string; n: number; reliable: boolean }> }): DownloadMetadata {
  return {
    roundId: view.roundId,
    roundYear: input.roundYear,
    formId: view.formId,
    formVersion: view.formVersion,
    definitionId: view.definitionId,
    definitionVersion: view.definitionVersion,
    boundaryEdition: view.boundaryEdition,
    roundBoundaryEdition: view.roundBoundaryEdition,
    unitTypesOn: view.unitTypesOn,
    indicator: view.indicator,
    indicatorLabel: view.indicatorLabel,
    by: view.by,
    estimate: view.estimate,
    estimateBasis: view.estimateBasis,
    minimumN: view.minimumN,
    computedAt: view.computedAt,
    generatedAt: input.generatedAt.toISOString(),
    responsesInFigures: view.responses,
    responsesByReview: input.review.map((r) => ({
      reviewStatus: r.reviewStatus,
      label: reviewStatusLabel(r.reviewStatus),
      stored: r.stored,
      included: r.counted,
      excluded: r.stored - r.counted,
    })),
    suppress: view.suppressed,
    belowMinimumN: input.reliability.filter((r) => !r.reliable).map((r) => ({ group: r.group, label: r.label, n: r.n, suppressed: view.suppressed })),
  };
}

/** Column headers of the table, Vietnamese first. */
export const FIELD_HEADERS: Record<RowField, LocalizedText> = {
  group: { vi: 'Mã', en: 'Code' },
  label: { vi: 'Tên', en: 'Name' },
  n: { vi: 'Số phiếu (n)', en: 'Responses (n)' },
  value: { vi: 'Giá trị (%)', en: 'Value (%)' },
  estimate: { vi: 'Loại ước lượng', en: 'Estimate' },
  low: { vi: 'Cận dưới KTC 95% (%)', en: '95% CI low (%)' },
  high: { vi: 'Cận trên KTC 95% (%)', en: '95% CI high (%)' },
  effectiveN: { vi: 'Cỡ mẫu hiệu dụng', en: 'Effective n' },
  provinces: { vi: 'Số tỉnh có giá trị', en: 'Provinces with a value' },
  reliable: { vi: 'Đủ cỡ mẫu tối thiểu', en: 'At least the minimum n' },
  rank: { vi: 'Xếp hạng', en: 'Rank' },
  previousValue: { vi: 'Giá trị kỳ trước (%)', en: 'Previous value (%)' },
  previousRank: { vi: 'Xếp hạng kỳ trước', en: 'Previous rank' },
  changePoints: { vi: 'Thay đổi (điểm %)', en: 'Change (points)' },
  changePlaces: { vi: 'Thay đổi (bậc)', en: 'Change (places)' },
  changeText: { vi: 'Thay đổi thứ hạng', en: 'Change of rank' },
  suppressed: { vi: 'Đã ẩn (dưới cỡ mẫu tối thiểu)', en: 'Suppressed (below minimum n)' },
};

const PERCENT_FIELDS = new Set<RowField>(['value', 'low', 'high', 'previousValue', 'changePoints']);

/** One line of the codebook: a column, an indicator or a code. */
export interface AggregateCodebookEntry {
  kind: 'column' | 'indicator' | 'province' | 'unit-type' | 'region' | 'group';
  code: string;
  labelVi: string;
  labelEn: string;
  note: string;
}

/** Every column of the table, every indicator of the definition, every code the rows can carry. */
export function aggregateCodebook(view: AggregatesView, definition: CompiledIndexDefinition, provinces: ProvinceReference): AggregateCodebookEntry[] {
  const rowProperties = AggregateRow.properties as Record<string, { description?: string }>;
  const entries: AggregateCodebookEntry[] = view.fields.map((f) => ({
    kind: 'column',
    code: f,
    labelVi: FIELD_HEADERS[f].vi,
    labelEn: FIELD_HEADERS[f].en,
    note: rowProperties[f]?.description ?? '',
  }));
  for (const indicator of definition.indicators) {
    const parent = indicator.parent === null ? '' : `thuộc / part of ${indicator.parent}`;
    entries.push({ kind: 'indicator', code: indicator.id, labelVi: indicator.label.vi, labelEn: indicator.label.en, note: [indicator.level, parent].filter(Boolean).join('; ') });
  }
  // Unit types as the figures group them: on the round's date, on the edition shown.
  const members = unitTypeMembers(provinces, view.boundaryEdition, view.unitTypesOn);
  const typeOf = new Map(UNIT_TYPES.flatMap((t) => members[t].map((code) => [code, t] as const)));
  for (const p of provinces.provinces(view.boundaryEdition)) {
    const type = UNIT_TYPE_LABELS[typeOf.get(p.code) ?? 'province'].vi;
    entries.push({ kind: 'province', code: p.code, labelVi: p.name, labelEn: p.nameEn, note: `${p.region ?? MULTI_REGION.vi}; ${type}` });
  }
  for (const t of UNIT_TYPES) {
    const note = `ngày / on ${view.unitTypesOn}: ${members[t].length} (${members[t].join(', ')})`;
    entries.push({ kind: 'unit-type', code: t, labelVi: UNIT_TYPE_LABELS[t].vi, labelEn: UNIT_TYPE_LABELS[t].en, note });
  }
  for (const r of [...REGIONS, MULTI_REGION]) entries.push({ kind: 'region', code: r.key, labelVi: r.vi, labelEn: r.en, note: '' });
  if (!['province', 'unit-type', 'region'].includes(view.by)) {
    for (const row of view.rows) {
      entries.push({ kind: 'group', code: String(row.group ?? ''), labelVi: String(row.label ?? ''), labelEn: '', note: `${view.by}` });
    }
  }
  return entries;
}

/** A cell of the table sheet: booleans read as Có/Không, empty stays empty. */
function sheetCell(value: AggregateRowView[RowField]): string | number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 'Có' : 'Không';
  return value;
}

/** The metadata line naming the date unit types were taken on. */
export const UNIT_TYPES_ON_KEY = 'Loại đơn vị hành chính theo ngày / Unit types as of';

/** Sheet names, as Excel shows them. */
export const SHEETS = { table: 'Bảng chỉ số', codebook: 'Từ điển dữ liệu', metadata: 'Thông tin' } as const;

/** The XLSX: the table formatted for reading, the codebook and the metadata. */
export async function aggregatesWorkbook(view: AggregatesView, codebook: ReadonlyArray<AggregateCodebookEntry>, metadata: DownloadMetadata): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'SIPAS';
  workbook.created = new Date(metadata.generatedAt);

  const table = workbook.addWorksheet(SHEETS.table, { views: [{ state: 'frozen', ySplit: 1 }] });
  table.columns = view.fields.map((f) => ({
    header: FIELD_HEADERS[f].vi,
    key: f,
    width: f === 'label' ? 28 : f === 'changeText' ? 18 : 14,
    ...(PERCENT_FIELDS.has(f) ? { style: { numFmt: '0.00' } } : f === 'effectiveN' ? { style: { numFmt: '0.0' } } : {}),
  }));
  table.getRow(1).font = { bold: true };
  for (const row of view.rows) {
    const added = table.addRow(Object.fromEntries(view.fields.map((f) => [f, sheetCell(row[f])])));
    if (row.reliable === false) added.font = { italic: true, color: { argb: 'FF777777' } };
  }

  const book = workbook.addWorksheet(SHEETS.codebook, { views: [{ state: 'frozen', ySplit: 1 }] });
  book.columns = [
    { header: 'Loại', key: 'kind', width: 12 },
    { header: 'Mã', key: 'code', width: 18 },
    { header: 'Nhãn tiếng Việt', key: 'labelVi', width: 50 },
    { header: 'English label', key: 'labelEn', width: 40 },
    { header: 'Ghi chú / Note', key: 'note', width: 60 },
  ];
  book.getRow(1).font = { bold: true };
  for (const entry of codebook) book.addRow(entry);

  const meta = workbook.addWorksheet(SHEETS.metadata);
  meta.columns = [
    { header: 'Mục', key: 'key', width: 42 },
    { header: 'Giá trị', key: 'value', width: 80 },
  ];
  meta.getRow(1).font = { bold: true };
  const lines: Array<[string, string | number]> = [
    ['Đợt khảo sát / Round', `${metadata.roundId} (${metadata.roundYear})`],
    ['Phiếu hỏi / Questionnaire', `${metadata.formId} phiên bản ${metadata.formVersion}`],
    ['Định nghĩa chỉ số / Index definition', `${metadata.definitionId} phiên bản ${metadata.definitionVersion}`],
    ['Danh mục đơn vị hành chính / Boundary edition', `${metadata.boundaryEdition} tỉnh, thành phố (đợt thu thập trên ${metadata.roundBoundaryEdition})`],
    [UNIT_TYPES_ON_KEY, `${metadata.unitTypesOn} (ngày bắt đầu thu thập của đợt / the round's fieldwork start)`],
    ['Chỉ số / Indicator', `${metadata.indicator}: ${metadata.indicatorLabel.vi}`],
    ['Phân nhóm / Grouping', metadata.by],
    ['Phương pháp ước lượng / Estimation method', `${metadata.estimate}: ${metadata.estimateBasis.vi}`],
    ['Cỡ mẫu tối thiểu / Minimum n', metadata.minimumN],
    ['Tính toán lúc / Computed at', metadata.computedAt ?? 'chưa tính'],
    ['Tạo tệp lúc / Generated at', metadata.generatedAt],
    ['Số phiếu được tính / Responses included', metadata.responsesInFigures],
  ];
  for (const r of metadata.responsesByReview) {
    lines.push([`Phiếu: ${r.label.vi}`, `lưu ${r.stored}, tính ${r.included}, loại ra ${r.excluded}${r.excluded > 0 ? ` (lý do: ${r.label.vi})` : ''}`]);
  }
  lines.push(['Ẩn ô dưới cỡ mẫu tối thiểu / Suppression', metadata.suppress ? 'Có: giá trị của các ô dưới cỡ mẫu tối thiểu bị ẩn' : 'Không: các ô dưới cỡ mẫu tối thiểu được đánh dấu, không ẩn']);
  lines.push([`Ô dưới cỡ mẫu tối thiểu / Cells below minimum n`, metadata.belowMinimumN.length]);
  for (const cell of metadata.belowMinimumN) {
    lines.push([`  ${cell.group} ${cell.label}`, `n = ${cell.n}${cell.suppressed ? ', đã ẩn' : ', đánh dấu chưa đủ tin cậy'}`]);
  }
  for (const [key, value] of lines) meta.addRow({ key, value });

  return Buffer.from(await workbook.xlsx.writeBuffer());
}
