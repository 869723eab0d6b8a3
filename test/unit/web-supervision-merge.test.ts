import type { QuotaProgressReply } from '../../web/shared/api-client';
import { mergeProvince } from '../../web/dashboards/supervisor/progress-merge';

type Summary = QuotaProgressReply['totals'];
const summary = (accepted: number, awaitingReview: number, target: number | null): Summary => ({
  accepted,
  awaitingReview,
  flagged: awaitingReview,
  rejected: 0,
  returned: 0,
  unchecked: 0,
  responseRate: null,
  target,
  share: target ? accepted / target : null,
  pace: { lastSevenDays: accepted, perDay: accepted / 7 },
  forecast: { status: 'no-target', remaining: null, projectedDate: null, daysLate: null },
  paceStatus: 'no-target',
});
const reply = (provinces: Array<[string, Summary]>, totals: Summary): QuotaProgressReply => ({
  roundId: 'r',
  readAt: '2024-09-01T00:00:00.000Z',
  asOf: '2024-09-01',
  fieldworkEnd: '2024-12-15',
  cells: [],
  level: 'national',
  provinces: provinces.map(([provinceCode, s]) => ({ provinceCode, provinceName: provinceCode, ...s })),
  postOffices: [],
  totals,
  enumerators: [],
});

describe('a province read again by the delta poll', () => {
  test('when its counts changed, then its row and the view’s totals move by the change', () => {
    const whole = reply([['01', summary(10, 0, 100)], ['79', summary(5, 1, 100)]], summary(15, 1, 200));
    const fresh = reply([['01', summary(12, 1, 100)]], summary(12, 1, 100));
    const merged = mergeProvince(whole, fresh, '01');
    expect(merged.provinces.find((p) => p.provinceCode === '01')?.accepted).toBe(12);
    expect(merged.totals).toMatchObject({ accepted: 17, awaitingReview: 2, share: 0.085, pace: { lastSevenDays: 17 } });
  });
});
