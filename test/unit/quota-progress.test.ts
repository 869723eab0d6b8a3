import { addDays, cellProgress, forecastOf, paceOf, productivityOf, responseRateOf, type ResponseGroup } from '../../survey-forms/quota-progress';
import { checkQuotaRows, readQuotaCsv } from '../../survey-forms/quota-targets';
import { loadFormCatalogue } from '../../survey-forms/catalogue';
import { surveyFormsDir } from '../../survey-forms/paths';
import { loadProvinceReference } from '../../survey-forms/provinces';
import path from 'node:path';

describe('pace', () => {
  test('when interviews fall inside and just outside the last seven days, then only the seven days ending on asOf count', () => {
    const daily = [
      { day: '2024-09-03', responses: 100 }, // eight days before: out
      { day: '2024-09-04', responses: 7 }, // first of the seven
      { day: '2024-09-10', responses: 7 }, // asOf itself
      { day: '2024-09-11', responses: 50 }, // after asOf: out
    ];
    expect(paceOf(daily, '2024-09-10')).toEqual({ lastSevenDays: 14, perDay: 2 });
  });

  test('when dates cross a month end, then days are counted on the calendar', () => {
    expect(addDays('2024-08-29', 6)).toBe('2024-09-04');
    expect(paceOf([{ day: '2024-08-26', responses: 3 }], '2024-09-01')).toEqual({ lastSevenDays: 3, perDay: 0.43 });
  });
});

describe('forecast', () => {
  const base = { target: 100, collected: 60, asOf: '2024-12-01', fieldworkEnd: '2024-12-15' };
  test('when the projected day is exactly the end of fieldwork, then it is on track; one day later is late', () => {
    expect(forecastOf({ ...base, perDay: 40 / 14 })).toEqual({ status: 'on-track', remaining: 40, projectedDate: '2024-12-15', daysLate: 0 });
    expect(forecastOf({ ...base, perDay: 40 / 15 })).toEqual({ status: 'late', remaining: 40, projectedDate: '2024-12-16', daysLate: 1 });
  });
  test('when nothing was collected lately, then the forecast is stalled; when the target is met, reached', () => {
    expect(forecastOf({ ...base, perDay: 0 })).toMatchObject({ status: 'stalled', projectedDate: null, remaining: 40 });
    expect(forecastOf({ ...base, collected: 100, perDay: 0 })).toMatchObject({ status: 'reached', remaining: 0 });
    expect(forecastOf({ ...base, collected: 130, perDay: 3 })).toMatchObject({ status: 'reached', remaining: 0 });
    expect(forecastOf({ ...base, target: null, perDay: 3 })).toMatchObject({ status: 'no-target' });
  });
});

describe('cell progress', () => {
  const group = (overrides: Partial<ResponseGroup>): ResponseGroup => ({
    provinceCode: '01',
    servingLevel: 2,
    serviceField: 1,
    respondentType: 1,
    reviewStatus: 'clear',
    flagged: false,
    responses: 1,
    ...overrides,
  });
  test('when responses are in every review state, then each lands in its count, and untargeted ones get a cell of their own', () => {
    const cells = cellProgress(
      [{ provinceCode: '01', servingLevel: 2, serviceField: 1, respondentType: 1, target: 10 }],
      [
        group({ responses: 3 }),
        group({ reviewStatus: 'approved', flagged: true, responses: 2 }),
        group({ reviewStatus: 'flagged', flagged: true }),
        group({ reviewStatus: 'rejected', flagged: true }),
        group({ reviewStatus: 'unchecked' }),
        group({ respondentType: 2, responses: 4 }),
      ],
      [],
    );
    expect(cells).toEqual([
      expect.objectContaining({ respondentType: null, target: null, accepted: 4, share: null }),
      expect.objectContaining({ respondentType: 1, target: 10, accepted: 5, awaitingReview: 1, flagged: 4, rejected: 1, unchecked: 1, share: 0.5 }),
    ]);
  });

  test('when units have final outcomes, then the response rate is completed over final outcomes; none gives null', () => {
    const unit = (status: string, units: number) => ({ provinceCode: '01', servingLevel: 2, serviceField: 1, respondentType: 1, status, units });
    expect(responseRateOf([unit('completed', 6), unit('refused', 3), unit('not-reachable', 1), unit('in-progress', 50)])).toBe(0.6);
    expect(responseRateOf([unit('not-started', 5)])).toBeNull();
  });

  test('when an enumerator worked some days, then productivity is per active day and the flagged share over all their responses', () => {
    expect(productivityOf({ username: 'e1', responses: 10, flagged: 3, rejected: 2, activeDays: 4, lastDay: '2024-09-10' })).toMatchObject({ completedPerDay: 2, shareFlagged: 0.3 });
    expect(productivityOf({ username: 'e2', responses: 0, flagged: 0, rejected: 0, activeDays: 0, lastDay: '' })).toMatchObject({ completedPerDay: 0, shareFlagged: 0 });
  });
});

describe('quota targets', () => {
  const form = loadFormCatalogue(surveyFormsDir()).get('sipas-2017', '1');
  const provinces = loadProvinceReference(path.join(surveyFormsDir(), 'reference', 'provinces'));
  test('when a file has a bad header, then the whole file is refused', () => {
    expect(readQuotaCsv('province,target\n01,3\n').fileProblems.map((p) => p.code)).toEqual(['unknown_field', 'required', 'required', 'required']);
  });
  test('when rows are checked, then every problem of every row is reported and single-digit province codes are padded', () => {
    if (!form) throw new Error('sipas-2017 v1 is not installed');
    const { rows } = readQuotaCsv('province_code,serving_level,service_field,respondent_type,target\n1,2,1,,10\n1,2,1,1,5\n02,2,77,1,x\n');
    const { targets, problems } = checkQuotaRows(rows, { form, provinces, edition: 63, allowedProvinces: new Set(['01']) });
    expect(targets.map((t) => [t.provinceCode, t.respondentType, t.target])).toEqual([
      ['01', null, 10],
      ['01', 1, 5],
    ]);
    expect(problems.map((p) => [p.line, p.field, p.code])).toEqual([
      [4, 'provinceCode', 'forbidden'],
      [4, 'serviceField', 'not_in_options'],
      [4, 'target', 'wrong_type'],
    ]);
  });
});
