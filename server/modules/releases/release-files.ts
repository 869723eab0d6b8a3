/**
 * A release's tables as files (CSV, XLSX, JSON), made from the frozen figures alone and so the same
 * bytes every time: the SHA-256 the results site shows beside a file is the SHA-256 of what it serves.
 * Until the embargo has passed a file says "chưa công bố" in its name and its content.
 */
import { PassThrough } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { canonicalJson, sha256 } from '../../../survey-forms/release/release-tables';
import { writeXlsxStream } from '../exports/xlsx-stream.writer';
import type { SheetCell } from '../exports/spreadsheet-xml';
import { NOT_PUBLISHED, type TableView } from './release.present';

export const FILE_FORMATS = ['csv', 'xlsx', 'json'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

export const CONTENT_TYPES: Record<FileFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  json: 'application/json; charset=utf-8',
};

export interface ReleaseFile {
  fileName: string;
  format: FileFormat | 'pdf' | 'zip';
  bytes: Buffer;
  sha256: string;
}

const COLUMNS = [
  ['group', 'ma'],
  ['label', 'ten'],
  ['unitType', 'loai_don_vi'],
  ['region', 'vung'],
  ['n', 'n'],
  ['value', 'gia_tri'],
  ['low', 'can_duoi_95'],
  ['high', 'can_tren_95'],
  ['rank', 'xep_hang'],
  ['reliable', 'du_co_mau'],
  ['previousValue', 'gia_tri_nam_truoc'],
  ['previousRank', 'xep_hang_nam_truoc'],
  ['changePoints', 'thay_doi_diem'],
  ['changePlaces', 'thay_doi_bac'],
  ['changeText', 'dien_giai'],
] as const;
const TWO_DECIMALS = new Set(['value', 'low', 'high', 'previousValue', 'changePoints']);

export function fileNameOf(view: TableView, format: FileFormat): string {
  const parts = ['sipas', view.releaseId, view.indicator, view.estimate, view.by, String(view.edition), view.unitType, view.region, view.notice ? 'chua-cong-bo' : null];
  return `${parts.filter(Boolean).join('-')}.${format}`;
}

function cells(view: TableView): SheetCell[][] {
  return view.rows.map((row) =>
    COLUMNS.map(([field]) => {
      const value = row[field];
      if (value === null || value === undefined) return null;
      if (typeof value === 'boolean') return value ? 'có' : 'không';
      return value;
    }),
  );
}

function csvOf(view: TableView): Buffer {
  const header = [...COLUMNS.map(([, name]) => name), ...(view.notice ? ['trang_thai'] : [])];
  const body = stringify(
    cells(view).map((row) => [
      ...row.map((v, i) => (v === null ? '' : typeof v === 'number' && TWO_DECIMALS.has(COLUMNS[i]?.[0] ?? '') ? v.toFixed(2) : String(v))),
      ...(view.notice ? [NOT_PUBLISHED.vi] : []),
    ]),
    { header: true, columns: header, record_delimiter: '\r\n' },
  );
  return Buffer.from(`\uFEFF${body}`, 'utf8');
}

async function xlsxOf(view: TableView, madeAt: Date): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const info: SheetCell[][] = [
    ...(view.notice ? [['TRẠNG THÁI', `${NOT_PUBLISHED.vi.toUpperCase()} (${NOT_PUBLISHED.en})`]] : []),
    ['Bản công bố', view.releaseId],
    ['Đợt khảo sát', view.roundId],
    ['Chỉ số', `${view.indicator} – ${view.indicatorLabel.vi}`],
    ['Ước lượng', view.estimate],
    ['Nhóm', view.by],
    ['Đơn vị hành chính', `${view.edition} tỉnh, thành phố`],
    ['Lọc loại đơn vị', view.unitType ?? ''],
    ['Lọc vùng', view.region ?? ''],
    ['So với bản công bố', view.comparedWith ?? ''],
    ['Cỡ mẫu tối thiểu', view.minimumN],
    ['SHA-256 số liệu', view.figuresDigest],
  ];
  await writeXlsxStream(
    [
      { name: view.notice ? 'Bảng chỉ số (chưa công bố)' : 'Bảng chỉ số', header: [...COLUMNS.map(([, name]) => name), ...(view.notice ? ['trang_thai'] : [])], rows: cells(view).map((r) => [...r, ...(view.notice ? [NOT_PUBLISHED.vi] : [])]) },
      { name: 'Thông tin', header: ['Mục', 'Giá trị'], rows: info },
    ],
    out,
    { mtime: madeAt },
  );
  return Buffer.concat(chunks);
}

/** The file of a table in a format; `madeAt` (the release's approval or preparation time) dates the XLSX parts. */
export async function tableFile(view: TableView, format: FileFormat, madeAt: Date): Promise<ReleaseFile> {
  const bytes = format === 'csv' ? csvOf(view) : format === 'xlsx' ? await xlsxOf(view, madeAt) : Buffer.from(`${canonicalJson(view)}\n`, 'utf8');
  return { fileName: fileNameOf(view, format), format, bytes, sha256: sha256(bytes) };
}
