import path from 'node:path';
import { compareWithPrevious, describePlaces } from '../../survey-forms/index-engine/changes';
import { computeRoundFigures, dimensionCodesOf, type EditionFigures, type FigureRow, type RoundFigures } from '../../survey-forms/index-engine/round-figures';
import {
  competitionRanks,
  kishEffectiveN,
  meanOfSharesInterval,
  orderStatistics,
  roundTo2,
  wilsonInterval,
} from '../../survey-forms/index-engine/statistics';
import { surveyFormsDir } from '../../survey-forms/paths';
import { loadProvinceReference, type BoundaryEdition } from '../../survey-forms/provinces';
import { tallyResponses, type TalliedResponse } from '../../survey-forms/tally';
import { tinyAnswers, tinyMethod, type TinyMethod } from './tiny-method';

const provinces = loadProvinceReference(path.join(surveyFormsDir(), 'reference', 'provinces'));

function figuresOf(method: TinyMethod, responses: TalliedResponse[], edition: BoundaryEdition = 63): RoundFigures {
  return computeRoundFigures({
    definition: method.definition,
    cells: tallyResponses(method.form, method.definition, responses),
    edition,
    provinces,
    unitTypesOn: '2020-08-01',
    dimensionCodes: dimensionCodesOf(method.form),
  });
}

const editionOf = (figures: RoundFigures, edition: BoundaryEdition): EditionFigures => {
  const found = figures.editions.find((e) => e.edition === edition);
  if (!found) throw new Error(`no edition ${edition}`);
  return found;
};

const rowOf = (rows: ReadonlyArray<FigureRow>, group: string): FigureRow => {
  const row = rows.find((r) => r.group === group);
  if (!row) throw new Error(`no row ${group}`);
  return row;
};

/**
 * Hà Nội (01), three respondents:
 *   r1 q1=5 q2=4 q3=2 gave=1 q4=9 (not applicable), level 1, weight 2
 *   r2 q1=3 q2=5 q3=5 gave=2 (q4 skipped),           level 2
 *   r3 q1=9 q2=9 q3=1 gave=1 q4=4,                    level 1
 * TP HCM (79): r4 q1=q2=q3=4 gave=2, level 1.
 *
 * Hà Nội by the method: c1 = 1 of 2 valid = 50%; c2 = 3 of 5 valid answers to q2, q3 = 60%; c3 = 1 of 1 = 100%;
 * e1 = mean(50, 60) = 55; e2 = 100; overall = mean(55, 100) = 77.5.
 * Respondent scores (overall): r1 mean(mean(1, ½), —) = ¾; r2 mean(0, 1) = ½; r3 mean(mean(—, 0), 1) = ½.
 */
const r1 = { provinceCode: '01', answers: tinyAnswers({ q1: 5, q2: 4, q3: 2, gave: 1, q4: 9 }), weight: 2 };
const r2 = { provinceCode: '01', answers: tinyAnswers({ q1: 3, q2: 5, q3: 5, gave: 2, level: 2 }) };
const r3 = { provinceCode: '01', answers: tinyAnswers({ q1: 9, q2: 9, q3: 1, gave: 1, q4: 4 }) };
const r4 = { provinceCode: '79', answers: tinyAnswers({ q1: 4, q2: 4, q3: 4, gave: 2 }) };

describe('statistics', () => {
  test('when values are rounded to two decimals, then halves go up without binary drift', () => {
    expect([roundTo2(1.005), roundTo2(200 / 3), roundTo2(84.445), roundTo2(0), roundTo2(100), roundTo2(-0.001)]).toEqual([1.01, 66.67, 84.45, 0, 100, 0]);
    expect(Object.is(roundTo2(-0.001), 0)).toBe(true);
  });

  test('when a share of 50% is seen on 100 respondents, then the Wilson interval is 40.38–59.62%', () => {
    const interval = wilsonInterval(0.5, 100);
    expect(interval?.low).toBeCloseTo(0.4038315, 6);
    expect(interval?.high).toBeCloseTo(0.5961685, 6);
  });

  test('when every respondent is satisfied, then the Wilson interval stays inside 0–100% and is not a point', () => {
    expect(wilsonInterval(1, 1)).toEqual({ low: expect.closeTo(0.2065493, 6) as number, high: 1 });
    expect(wilsonInterval(0, 5)).toEqual({ low: 0, high: expect.closeTo(0.4344825, 6) as number });
    expect(wilsonInterval(0.5, 0)).toBeNull();
  });

  test('when provinces are averaged, then the interval is Wilson on m²/Σ(1/nᵢ) respondents', () => {
    // Two provinces on 3 and 1 respondents: 4 / (1/3 + 1) = 3 respondents.
    expect(meanOfSharesInterval([{ p: 0.775, n: 3 }, { p: 1, n: 1 }])).toEqual(wilsonInterval(0.8875, 3));
    expect(meanOfSharesInterval([{ p: 0.4, n: 50 }])).toEqual(wilsonInterval(0.4, 50));
    expect(meanOfSharesInterval([])).toBeNull();
  });

  test('when weights are 2, 1 and 1, then Kish effective n is 16/6', () => {
    expect(kishEffectiveN(4, 6)).toBeCloseTo(16 / 6, 12);
    expect(kishEffectiveN(5, 5)).toBe(5);
    expect(kishEffectiveN(0, 0)).toBe(0);
  });

  test('when values tie, then they share the better rank and the next rank skips', () => {
    expect(competitionRanks([90, 85, 85, 80, null, 95])).toEqual([2, 3, 3, 5, null, 1]);
    expect(competitionRanks([70, 70, 70])).toEqual([1, 1, 1]);
    expect(competitionRanks([])).toEqual([]);
  });

  test('when values are summarised, then quartiles interpolate between order statistics (type 7)', () => {
    expect(orderStatistics([4, 1, 3, 2])).toEqual({ count: 4, median: 2.5, q1: 1.75, q3: 3.25, min: 1, max: 4 });
    expect(orderStatistics([77.5])).toEqual({ count: 1, median: 77.5, q1: 77.5, q3: 77.5, min: 77.5, max: 77.5 });
    expect(orderStatistics([])).toBeNull();
  });
});

describe('tallies', () => {
  const method = tinyMethod();

  test('when answers are "not applicable" or skipped, then they leave the denominator and the counts keep them', () => {
    const [cell] = tallyResponses(method.form, method.definition, [r3]);
    expect(cell?.tally.answers).toEqual({ q1: { 9: 1 }, q2: { 9: 1 }, q3: { 1: 1 }, q4: { 4: 1 } });
    // c1 has no valid answer: no score. c2 = 0 of 1. e1 = c2 = 0; e2 = c3 = 1; overall ½.
    expect(cell?.tally.scores.c1).toBeUndefined();
    expect(cell?.tally.scores.c2).toEqual({ n: 1, sum: 0, w: 1, ws: 0, w2: 1 });
    expect(cell?.tally.scores.overall).toEqual({ n: 1, sum: 0.5, w: 1, ws: 0.5, w2: 1 });
  });

  test('when a perception item is answered, then it is counted but scores nothing', () => {
    const [cell] = tallyResponses(method.form, method.definition, [{ ...r4, answers: { ...r4.answers, p1: 1 } }]);
    expect(cell?.tally.answers.p1).toEqual({ 1: 1 });
    expect(cell?.tally.scores.overall?.sum).toBe(1);
  });

  test('when a response carries a weight, then the weighted sums use it and unweighted ones count 1', () => {
    const [cell] = tallyResponses(method.form, method.definition, [r1, r3]);
    expect(cell?.tally.weighted).toBe(1);
    // overall: r1 ¾ with weight 2, r3 ½ with weight 1.
    expect(cell?.tally.scores.overall).toEqual({ n: 2, sum: 1.25, w: 3, ws: 2, w2: 5 });
  });

  test('when responses differ in serving level, then they fall in separate cells sorted by key', () => {
    const cells = tallyResponses(method.form, method.definition, [r4, r2, r1, r3]);
    expect(cells.map((c) => [c.provinceCode, c.dimensions.servingLevel, c.tally.n])).toEqual([
      ['01', '1', 2],
      ['01', '2', 1],
      ['79', '1', 1],
    ]);
  });
});

describe('figures of one round', () => {
  const method = tinyMethod();
  const figures = figuresOf(method, [r1, r2, r3, r4]);
  const edition = editionOf(figures, 63);
  const overall = edition.indicators.overall!;

  test('when a province is computed, then criteria are answer shares and each level the mean of its children', () => {
    const values = Object.fromEntries(
      ['c1', 'c2', 'c3', 'e1', 'e2', 'overall'].map((id) => {
        const row = rowOf(edition.indicators[id]!.estimates.index.groupings.province, '01');
        return [id, [row.value, row.n]];
      }),
    );
    expect(values).toEqual({ c1: [50, 2], c2: [60, 3], c3: [100, 1], e1: [55, 3], e2: [100, 1], overall: [77.5, 3] });
  });

  test('when a province row is shown, then it carries its Wilson interval, rank and reliability flag', () => {
    const rows = overall.estimates.index.groupings.province;
    expect(rows).toHaveLength(63);
    expect(rowOf(rows, '01')).toEqual({ group: '01', n: 3, value: 77.5, low: 27.17, high: 96.95, effectiveN: null, provinces: null, rank: 2, reliable: true });
    expect(rowOf(rows, '79')).toEqual({ group: '79', n: 1, value: 100, low: 20.65, high: 100, effectiveN: null, provinces: null, rank: 1, reliable: false });
    expect(rowOf(rows, '31')).toEqual({ group: '31', n: 0, value: null, low: null, high: null, effectiveN: null, provinces: null, rank: null, reliable: false });
  });

  test('when a unit type is computed, then it is the simple mean of its provinces, not of respondents', () => {
    const special = rowOf(overall.estimates.index.groupings['unit-type'], 'special-class-city');
    // mean(77.5, 100) = 88.75; interval: Wilson on 4 / (1/3 + 1) = 3 respondents.
    expect(special).toEqual({ group: 'special-class-city', n: 4, value: 88.75, low: 34.84, high: 99.15, effectiveN: null, provinces: 2, rank: 1, reliable: true });
    expect(rowOf(overall.estimates.index.groupings.national, 'national')).toMatchObject({ n: 4, value: 88.75, provinces: 2, rank: null });
  });

  test('when the pooled estimate is asked, then it is the mean of respondent scores with a Wilson interval', () => {
    // Hà Nội: (¾ + ½ + ½) / 3 = 58.33%; Hà Nội and TP HCM together: 2.75 / 4 = 68.75%.
    expect(rowOf(overall.estimates.pooled.groupings.province, '01')).toMatchObject({ n: 3, value: 58.33, low: 16.42, high: 90.89 });
    expect(rowOf(overall.estimates.pooled.groupings['unit-type'], 'special-class-city')).toMatchObject({ n: 4, value: 68.75, provinces: 2 });
    // Element 1 pooled: r1 ¾, r2 ½, r3 0 → 1.25 / 3.
    expect(rowOf(edition.indicators.e1!.estimates.pooled.groupings.province, '01')).toMatchObject({ n: 3, value: 41.67 });
  });

  test('when responses carry weights, then the weighted estimate uses them with Kish effective n', () => {
    expect(edition.weightedResponses).toBe(1);
    // Hà Nội: (2·¾ + ½ + ½) / 4 = 62.5%; n_eff = 4² / (4 + 1 + 1) = 2.67.
    expect(rowOf(overall.estimates.weighted!.groupings.province, '01')).toEqual({
      group: '01',
      n: 3,
      value: 62.5,
      low: 17.2,
      high: 93.04,
      effectiveN: 2.67,
      provinces: null,
      rank: 2,
      reliable: true,
    });
  });

  test('when no response carries a weight, then there is no weighted estimate', () => {
    const unweighted = editionOf(figuresOf(method, [{ ...r1, weight: undefined }, r2, r3, r4]), 63);
    expect(unweighted.weightedResponses).toBe(0);
    expect(unweighted.indicators.overall!.estimates.weighted).toBeNull();
  });

  test('when rows are grouped by serving level, then each is the mean of the provinces\' values at that level', () => {
    // Level 1: Hà Nội's r1 and r3 give c1 100, c2 1 of 3 = 33.33, c3 100 → e1 66.67, e2 100, overall 83.33;
    // TP HCM's r4 gives 100. Mean 91.67. Level 2: Hà Nội's r2 alone, overall mean(0, 1) = 50.
    expect(overall.estimates.index.groupings.level).toEqual([
      expect.objectContaining({ group: '1', n: 3, value: 91.67, provinces: 2, rank: 1 }),
      expect.objectContaining({ group: '2', n: 1, value: 50, provinces: 1, rank: 2 }),
      expect.objectContaining({ group: '3', n: 0, value: null, provinces: 0, rank: null }),
    ]);
    expect(overall.estimates.index.groupings.field.map((r) => r.group)).toEqual(['1', '2']);
    expect(overall.estimates.index.groupings['respondent-type'].map((r) => [r.group, r.value])).toEqual([
      ['1', 88.75],
      ['2', null],
    ]);
  });

  test('when rows are grouped by region, then the six regions are listed in order', () => {
    expect(overall.estimates.index.groupings.region.map((r) => [r.group, r.value])).toEqual([
      ['northern-midlands-mountains', null],
      ['red-river-delta', 77.5],
      ['north-central-central-coast', null],
      ['central-highlands', null],
      ['south-east', 100],
      ['mekong-delta', null],
    ]);
  });

  test('when provincial values are summarised, then median, quartiles and range come with their provinces', () => {
    expect(overall.estimates.index.summary).toEqual({
      provinces: 2,
      median: 88.75,
      q1: 83.13,
      q3: 94.38,
      min: { value: 77.5, groups: ['01'] },
      max: { value: 100, groups: ['79'] },
    });
  });

  test('when the overall index weights its elements, then weights apply and renormalise over elements with a value', () => {
    const weighted = editionOf(figuresOf(tinyMethod({ e1: 3, e2: 1 }), [r1, r2, r3, r4]), 63).indicators.overall!;
    const rows = weighted.estimates.index.groupings.province;
    // Hà Nội: (3·55 + 1·100) / 4 = 66.25. TP HCM has no e2: its overall is e1 alone, 100.
    expect([rowOf(rows, '01').value, rowOf(rows, '79').value]).toEqual([66.25, 100]);
  });

  test('when every answer of a respondent is "not applicable", then the province has no value rather than 0', () => {
    const allNa = { provinceCode: '02', answers: tinyAnswers({ q1: 9, q2: 9, q3: 9, gave: 1, q4: 9 }) };
    const result = editionOf(figuresOf(method, [allNa]), 63);
    expect(result.responses).toBe(1);
    expect(rowOf(result.indicators.overall!.estimates.index.groupings.province, '02')).toMatchObject({ n: 0, value: null, rank: null, reliable: false });
    expect(result.indicators.overall!.estimates.index.summary).toBeNull();
  });

  test('when a round has no responses, then every group is listed with n 0 and no value', () => {
    const empty = figuresOf(method, []);
    expect(empty.editions.map((e) => e.edition)).toEqual([63, 34]);
    const rows = editionOf(empty, 63).indicators.overall!.estimates.index.groupings;
    expect(rows.province).toHaveLength(63);
    expect(rows['unit-type'].map((r) => [r.group, r.n, r.value, r.provinces])).toEqual([
      ['special-class-city', 0, null, 0],
      ['other-centrally-run-city', 0, null, 0],
      ['province', 0, null, 0],
    ]);
    expect(editionOf(empty, 34).indicators.overall!.estimates.index.groupings.province).toHaveLength(34);
  });
});

describe('re-expression on the 34 units', () => {
  const method = tinyMethod();
  // Hà Giang (02) merged into Tuyên Quang (08): one respondent all satisfied there, three all dissatisfied in Tuyên Quang.
  const satisfied = (code: string) => ({ provinceCode: code, answers: tinyAnswers({ q1: 5, q2: 5, q3: 5, gave: 2 }) });
  const dissatisfied = (code: string) => ({ provinceCode: code, answers: tinyAnswers({ q1: 1, q2: 1, q3: 1, gave: 2 }) });
  const figures = figuresOf(method, [satisfied('02'), dissatisfied('08'), dissatisfied('08'), dissatisfied('08')]);

  test('when a 63-unit round is shown on the 34, then merged units re-aggregate answers, never average percentages', () => {
    const old = editionOf(figures, 63).indicators.overall!.estimates.index.groupings.province;
    expect([rowOf(old, '02').value, rowOf(old, '08').value]).toEqual([100, 0]);
    const merged = rowOf(editionOf(figures, 34).indicators.overall!.estimates.index.groupings.province, '08');
    // c1 = 1 of 4, c2 = 2 of 8: 25%, not the 50% an average of the two old units would give.
    expect(merged).toMatchObject({ group: '08', n: 4, value: 25 });
    expect(editionOf(figures, 34).responses).toBe(4);
  });

  test('when a round is collected on the 34 units, then it has no 63-unit figures', () => {
    expect(figuresOf(method, [satisfied('08')], 34).editions.map((e) => e.edition)).toEqual([34]);
  });
});

describe('changes against the previous round', () => {
  const row = (group: string, value: number | null, rank: number | null): FigureRow => ({
    group,
    n: value === null ? 0 : 100,
    value,
    low: null,
    high: null,
    effectiveN: null,
    provinces: null,
    rank,
    reliable: value !== null,
  });

  test('when a province moves from 5th to 2nd, then it gained 3 places ("tăng 3 bậc") and the points are the difference', () => {
    const [compared] = compareWithPrevious([row('42', 88.97, 2)], [row('42', 85.5, 5)]);
    expect(compared).toMatchObject({ previousValue: 85.5, previousRank: 5, changePoints: 3.47, changePlaces: 3 });
    expect(describePlaces(3)).toEqual({ vi: 'tăng 3 bậc', en: 'up 3 places' });
    expect(describePlaces(-1)).toEqual({ vi: 'giảm 1 bậc', en: 'down 1 place' });
    expect(describePlaces(0)?.vi).toBe('giữ nguyên');
  });

  test('when a province is missing from the previous round, then it has no change rather than a made-up one', () => {
    const compared = compareWithPrevious([row('01', 80, 1), row('79', 70, 2)], [row('01', 82.25, 1)]);
    expect(compared.map((r) => [r.group, r.changePoints, r.changePlaces, r.previousValue])).toEqual([
      ['01', -2.25, 0, 82.25],
      ['79', null, null, null],
    ]);
  });

  test('when either round has no value, or there is no previous round, then there is no change', () => {
    expect(compareWithPrevious([row('01', null, null)], [row('01', 80, 1)])[0]).toMatchObject({ changePoints: null, changePlaces: null, previousValue: 80 });
    expect(compareWithPrevious([row('01', 80, 1)], undefined)[0]).toMatchObject({ changePoints: null, changePlaces: null, previousRank: null });
  });
});
