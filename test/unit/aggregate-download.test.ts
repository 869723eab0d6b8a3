import { downloadMetadata, type AggregatesView } from '../../server/modules/exports/aggregate-download';
import { formatFigure, formatPlaces } from '../../web/dashboards/analyst/i18n';

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
