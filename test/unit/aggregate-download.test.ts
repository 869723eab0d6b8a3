import path from 'node:path';
import ExcelJS from 'exceljs';
import { aggregateCodebook, aggregatesWorkbook, downloadMetadata, SHEETS, UNIT_TYPES_ON_KEY, type AggregatesView } from '../../server/modules/exports/aggregate-download';
import { surveyFormsDir } from '../../survey-forms/paths';
import { loadProvinceReference } from '../../survey-forms/provinces';
import { formatFigure, formatPlaces } from '../../web/dashboards/analyst/i18n';
import { tinyMethod } from './tiny-method';

const view = {
  roundId: 'r-2024',
  formId: 'sipas-2017',
  formVersion: '1',
  definitionId: 'sipas-2017',
  definitionVersion: '1',
  boundaryEdition: 63,
  roundBoundaryEdition: 63,
  indicator: 'overall',
  indicatorLabel: { vi: 'Chỉ số', en: 'Index' },
  by: 'province',
  estimate: 'index',
  estimateBasis: { vi: 'v', en: 'e' },
  minimumN: 30,
  computedAt: '2024-10-01T00:00:00.000Z',
  responses: 120,
  suppressed: true,
} as unknown as AggregatesView;

describe('download metadata', () => {
  test('when responses are under review, then each status says how many are included and how many were left out', () => {
    const metadata = downloadMetadata(view, {
      roundYear: 2024,
      generatedAt: new Date('2024-10-02T00:00:00Z'),
      review: [
        { reviewStatus: 'approved', stored: 20, counted: 20 },
        { reviewStatus: 'clear', stored: 100, counted: 100 },
        { reviewStatus: 'flagged', stored: 7, counted: 0 },
        { reviewStatus: 'rejected', stored: 3, counted: 0 },
      ],
      reliability: [
        { group: '01', label: 'Hà Nội', n: 100, reliable: true },
        { group: '79', label: 'Hồ Chí Minh', n: 20, reliable: false },
      ],
    });
    expect(metadata.responsesByReview.map((r) => [r.reviewStatus, r.included, r.excluded, r.label.en])).toEqual([
      ['approved', 20, 0, 'Approved by a supervisor'],
      ['clear', 100, 0, 'Passed the quality checks'],
      ['flagged', 0, 7, "Flagged, awaiting a supervisor's review"],
      ['rejected', 0, 3, 'Rejected by a supervisor'],
    ]);
    expect(metadata.belowMinimumN).toEqual([{ group: '79', label: 'Hồ Chí Minh', n: 20, suppressed: true }]);
    expect(metadata.generatedAt).toBe('2024-10-02T00:00:00.000Z');
  });

  test('when no response has a review status, then all are reported as included', () => {
    const metadata = downloadMetadata(view, { roundYear: 2024, generatedAt: new Date(), review: [{ reviewStatus: null, stored: 120, counted: 120 }], reliability: [] });
    expect(metadata.responsesByReview).toEqual([{ reviewStatus: null, label: { vi: 'Chưa qua quy trình duyệt (tính vào kết quả)', en: 'Not under review (counted)' }, stored: 120, included: 120, excluded: 0 }]);
  });
});

describe('unit types in downloads', () => {
  // A 2020 round (fieldwork from 1 August 2020) shown on the 34 units, by unit type.
  const round2020On34 = { ...view, roundId: 'r-2020', boundaryEdition: 34, by: 'unit-type', unitTypesOn: '2020-08-01', fields: ['group', 'value'], rows: [] } as unknown as AggregatesView;
  const provinces = loadProvinceReference(path.join(surveyFormsDir(), 'reference', 'provinces'));

  test('when the XLSX is made, then its metadata sheet names the date the unit types were taken on', async () => {
    const metadata = downloadMetadata(round2020On34, { roundYear: 2020, generatedAt: new Date('2021-01-02T00:00:00Z'), review: [], reliability: [] });
    expect(metadata.unitTypesOn).toBe('2020-08-01');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await aggregatesWorkbook(round2020On34, [], metadata)) as unknown as ArrayBuffer);
    const lines = new Map<string, string>();
    workbook.getWorksheet(SHEETS.metadata)!.eachRow((row) => lines.set(row.getCell(1).text, row.getCell(2).text));
    expect(lines.get(UNIT_TYPES_ON_KEY)).toBe("2020-08-01 (ngày bắt đầu thu thập của đợt / the round's fieldwork start)");
  });

  test('when the codebook lists unit types of a 2020 round on the 34 units, then Huế is a province and the cities are the 2020 ones', () => {
    const codebook = aggregateCodebook(round2020On34, tinyMethod().definition, provinces);
    const note = (kind: string, code: string) => codebook.find((e) => e.kind === kind && e.code === code)?.note;
    expect(note('unit-type', 'special-class-city')).toBe('ngày / on 2020-08-01: 2 (01, 79)');
    expect(note('unit-type', 'other-centrally-run-city')).toBe('ngày / on 2020-08-01: 3 (31, 48, 92)');
    expect(note('province', '46')).toBe('Bắc Trung Bộ và Duyên hải miền Trung; Tỉnh');
    expect(note('province', '31')).toBe('Đồng bằng sông Hồng; Thành phố trực thuộc trung ương khác');
  });
});

describe('the analyst dashboard\'s figures', () => {
  test('when a figure is shown, then it has two decimals and the Vietnamese decimal comma', () => {
    expect(formatFigure(85.5, 'vi')).toBe('85,50');
    expect(formatFigure(85.5, 'en')).toBe('85.50');
    expect(formatFigure(null, 'vi')).toBe('–');
  });

  test('when places change, then the arrow points the way the rank moved', () => {
    expect(formatPlaces(3, 'vi')).toEqual({ arrow: '▲', text: 'tăng 3 bậc', direction: 'up' });
    expect(formatPlaces(-2, 'en')).toEqual({ arrow: '▼', text: 'down 2 places', direction: 'down' });
    expect(formatPlaces(0, 'vi').direction).toBe('same');
    expect(formatPlaces(null, 'vi').direction).toBe('none');
  });
});
