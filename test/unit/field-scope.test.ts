import { fieldScopeOf, inFieldScope, narrowToPostOffice, narrowToProvince, scopeLevel, type ScopedUser } from '../../survey-forms/field-scope';
import { paceStatusOf, postOfficeSummaries, summariseLevel, type RollupInputs } from '../../survey-forms/field-rollup';
import { isCounted, isWithdrawn, REVIEW_STATUSES } from '../../survey-forms/review-status';
import { submissionAccessProblems } from '../../server/modules/responses/submission-policy';

describe('field scope: national, province, post office', () => {
  const office = { role: 'supervisor', provinces: ['01'], postOffice: 'HN-A' };
  const province = { role: 'supervisor', provinces: ['01'], postOffice: null };
  const admin = { role: 'admin', provinces: [], postOffice: null };

  test('when each level asks about a place, then only its own places are in scope', () => {
    const places = [
      { provinceCode: '01', postOffice: 'HN-A' },
      { provinceCode: '01', postOffice: 'HN-B' },
      { provinceCode: '01', postOffice: null },
      { provinceCode: '79', postOffice: 'HCM-A' },
    ];
    const seen = (user: ScopedUser) => places.map((p) => inFieldScope(fieldScopeOf(user), p));
    expect(seen(office)).toEqual([true, false, false, false]);
    expect(seen(province)).toEqual([true, true, true, false]);
    expect(seen(admin)).toEqual([true, true, true, true]);
    expect([office, province, admin].map((u) => scopeLevel(fieldScopeOf(u)))).toEqual(['post-office', 'province', 'national']);
  });

  test('when a view narrows to a province or post office outside the scope, then there is nothing to narrow to', () => {
    expect(narrowToProvince(fieldScopeOf(province), '79')).toBeUndefined();
    expect(narrowToProvince(fieldScopeOf(admin), '79')).toEqual({ provinces: ['79'] });
    expect(narrowToPostOffice(fieldScopeOf(office), { code: 'HN-B', name: 'B', provinceCode: '01' }, 'HN-B')).toBeUndefined();
    expect(narrowToPostOffice(fieldScopeOf(province), { code: 'HCM-A', name: 'S', provinceCode: '79' }, 'HCM-A')).toBeUndefined();
    expect(narrowToPostOffice(fieldScopeOf(province), { code: 'HN-B', name: 'B', provinceCode: '01' }, 'HN-B')).toEqual({ provinces: ['01'], postOffice: 'HN-B' });
  });

  test('when a post-office supervisor submits for a unit of another post office, then the item is refused', () => {
    const unit = { unitId: 'U', provinceCode: '01', assignedTo: null, postOffice: 'HN-B' };
    const user = { username: 'po', role: 'supervisor' as const, provinces: ['01'], postOffice: 'HN-A' };
    expect(submissionAccessProblems(user, { provinceCode: '01', sampleUnitId: 'U' }, unit).map((p) => p.code)).toEqual(['post_office_not_yours']);
    expect(submissionAccessProblems(user, { provinceCode: '01', sampleUnitId: 'U' }, { ...unit, postOffice: 'HN-A' })).toEqual([]);
  });
});

describe('review states: returned leaves the figures like rejected', () => {
  test('when each state is asked about, then exactly clear and approved count, and exactly rejected and returned are withdrawn', () => {
    expect(REVIEW_STATUSES.filter(isCounted)).toEqual(['clear', 'approved']);
    expect(REVIEW_STATUSES.filter(isWithdrawn)).toEqual(['rejected', 'returned']);
  });
});

describe('roll-up: enumerator → post office → province → national', () => {
  const group = (postOffice: string | null, reviewStatus: 'clear' | 'flagged' | 'returned', responses: number) => ({
    provinceCode: '01',
    postOffice,
    servingLevel: 2,
    serviceField: 1,
    respondentType: 1,
    reviewStatus,
    flagged: reviewStatus !== 'clear',
    responses,
  });
  const inputs: RollupInputs = {
    responses: [group('A', 'clear', 6), group('A', 'flagged', 1), group('B', 'clear', 3), group('B', 'returned', 2), group(null, 'clear', 1)],
    outcomes: [
      { provinceCode: '01', postOffice: 'A', assignedTo: 'e1', servingLevel: 2, serviceField: 1, respondentType: 1, status: 'completed', units: 6 },
      { provinceCode: '01', postOffice: 'A', assignedTo: 'e1', servingLevel: 2, serviceField: 1, respondentType: 1, status: 'refused', units: 2 },
    ],
    daily: [
      { provinceCode: '01', postOffice: 'A', day: '2024-09-10', responses: 7 },
      { provinceCode: '01', postOffice: 'B', day: '2024-09-10', responses: 3 },
    ],
    targets: [{ provinceCode: '01', target: 40 }],
    asOf: '2024-09-10',
    fieldworkEnd: '2024-09-20',
  };

  test('when post offices are summed, then they add up to the province with the units of no post office', () => {
    const offices = postOfficeSummaries(inputs);
    expect(offices.map((o) => [o.postOffice, o.accepted, o.awaitingReview, o.returned, o.responseRate])).toEqual([
      ['A', 6, 1, 0, 0.75],
      ['B', 3, 0, 2, null],
    ]);
    const whole = summariseLevel(inputs, () => true, () => true);
    expect(whole.accepted).toBe(offices.reduce((s, o) => s + o.accepted, 0) + 1);
    expect(whole.target).toBe(40);
  });

  test('when a forecast is late, stalled or on track, then its pace status says behind, at risk or on track', () => {
    const f = (status: 'reached' | 'on-track' | 'late' | 'stalled' | 'no-target', daysLate: number | null = null) => ({ status, remaining: 1, projectedDate: null, daysLate });
    expect([f('reached'), f('on-track'), f('late', 3), f('late', 30), f('stalled'), f('no-target')].map(paceStatusOf)).toEqual([
      'on-track',
      'on-track',
      'behind',
      'at-risk',
      'at-risk',
      'no-target',
    ]);
  });
});
