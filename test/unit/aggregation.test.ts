import { loadFormCatalogue } from '../../survey-forms/catalogue';
import type { CompiledForm } from '../../survey-forms/form';
import { surveyFormsDir } from '../../survey-forms/paths';
import { computeRoundFigures, roundTo2, satisfactionOf, unitTypeFigures } from '../../survey-forms/satisfaction';
import { tallyResponses, sumTallies, type TalliedResponse } from '../../survey-forms/tally';
import { makeAnswers } from '../factories';

let form: CompiledForm;
beforeAll(() => {
  const found = loadFormCatalogue(surveyFormsDir()).get('sipas-2017', '1');
  if (!found) throw new Error('sipas-2017 v1 is missing');
  form = found;
});

const response = (provinceCode: string, answers: Record<string, unknown>): TalliedResponse => ({ provinceCode, answers });

describe('satisfaction arithmetic', () => {
  // makeAnswers fills 18 criterion satisfaction items (c01_s–c18_s) and overall_s: 19 satisfaction items.
  test('when a response rates every satisfaction item 4, then the province is 100% satisfied', () => {
    const cells = tallyResponses(form, [response('01', makeAnswers(4))]);
    expect(satisfactionOf(form, sumTallies(cells.map((c) => c.tally)))).toEqual({ n: 1, valid: 19, positive: 19, value: 100 });
  });

  test('when answers are "not applicable", then they leave the denominator', () => {
    // 5 items not applicable, the other 14 satisfaction items at 5: 14 of 14 valid answers positive.
    const answers = makeAnswers(5, { c01_s: 9, c02_s: 9, c03_s: 9, c04_s: 9, c05_s: 9 });
    const figure = satisfactionOf(form, sumTallies(tallyResponses(form, [response('01', answers)]).map((c) => c.tally)));
    expect(figure).toEqual({ n: 1, valid: 14, positive: 14, value: 100 });
  });

  test('when answers are 3 ("bình thường"), then they count as valid but not satisfied', () => {
    const cells = tallyResponses(form, [response('01', makeAnswers(5)), response('01', makeAnswers(3))]);
    expect(satisfactionOf(form, sumTallies(cells.map((c) => c.tally)))).toEqual({ n: 2, valid: 38, positive: 19, value: 50 });
  });

  test('when every satisfaction answer is "not applicable", then there is no value rather than 0', () => {
    const answers = Object.fromEntries(Object.entries(makeAnswers(9)).map(([k, v]) => [k, k === 'overall_s' ? undefined : v]));
    const figure = satisfactionOf(form, sumTallies(tallyResponses(form, [response('01', answers)]).map((c) => c.tally)));
    expect(figure).toEqual({ n: 1, valid: 0, positive: 0, value: null });
  });

  test('when perception items are answered, then they do not count in satisfaction', () => {
    const answers = makeAnswers(5);
    for (const key of Object.keys(answers)) if (key.endsWith('_p')) answers[key] = 1;
    const figure = satisfactionOf(form, sumTallies(tallyResponses(form, [response('01', answers)]).map((c) => c.tally)));
    expect(figure.value).toBe(100);
  });

  test('when responses differ in serving level, then they fall in separate cells that add up', () => {
    const cells = tallyResponses(form, [
      response('01', makeAnswers(5, { serving_level: 1 })),
      response('01', makeAnswers(1, { serving_level: 3 })),
      response('01', makeAnswers(4, { serving_level: 1 })),
    ]);
    expect(cells.map((c) => [c.dimensions.servingLevel, c.tally.n])).toEqual([
      ['1', 2],
      ['3', 1],
    ]);
    expect(satisfactionOf(form, sumTallies(cells.map((c) => c.tally))).value).toBeCloseTo((100 * 38) / 57, 10);
  });

  test('when the same responses come in another order, then the cells are identical', () => {
    const rs = [response('79', makeAnswers(2)), response('01', makeAnswers(5, { serving_level: 1 })), response('01', makeAnswers(4))];
    expect(JSON.stringify(tallyResponses(form, [...rs].reverse()))).toBe(JSON.stringify(tallyResponses(form, rs)));
  });
});

describe('round figures', () => {
  test('when provinces have values, then a unit type is the simple mean of its provinces, not of respondents', () => {
    // Hà Nội: 3 responses at 100%; TP HCM: 1 response at 0%. Mean of provinces 50%; pooled would be 75%.
    const cells = tallyResponses(form, [
      response('01', makeAnswers(5)),
      response('01', makeAnswers(5)),
      response('01', makeAnswers(4)),
      response('79', makeAnswers(1)),
    ]);
    const figures = computeRoundFigures(form, cells, ['01', '31', '79'], (code) => (code === '31' ? 'other-centrally-run-city' : 'special-class-city'), [
      'special-class-city',
      'other-centrally-run-city',
      'province',
    ]);
    expect(figures.byProvince).toEqual([
      { group: '01', n: 3, value: 100 },
      { group: '31', n: 0, value: null },
      { group: '79', n: 1, value: 0 },
    ]);
    expect(figures.byUnitType).toEqual([
      { group: 'special-class-city', n: 4, value: 50, provinces: 2 },
      { group: 'other-centrally-run-city', n: 0, value: null, provinces: 0 },
      { group: 'province', n: 0, value: null, provinces: 0 },
    ]);
    expect(figures.responses).toBe(4);
  });

  test('when the 2020 values of Hà Nội and TP HCM are averaged, then the published 84.45% comes out', () => {
    const [special] = unitTypeFigures(
      [
        { group: '01', n: 1, value: 85.15 },
        { group: '79', n: 1, value: 83.75 },
      ],
      () => 'special-class-city',
      ['special-class-city'],
    );
    expect(roundTo2(special?.value ?? NaN)).toBe(84.45);
  });

  test('when values are rounded to two decimals, then halves go up without binary drift', () => {
    expect([roundTo2(1.005), roundTo2(200 / 3), roundTo2(84.445), roundTo2(0), roundTo2(100)]).toEqual([1.01, 66.67, 84.45, 0, 100]);
  });
});
