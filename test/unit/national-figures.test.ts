import path from 'node:path';
import { loadFormCatalogue, loadIndexDefinitionCatalogue } from '../../survey-forms/catalogue';
import { computeRoundFigures, dimensionCodesOf, type FigureRow } from '../../survey-forms/index-engine/round-figures';
import { indexDefinitionsDir, surveyFormsDir } from '../../survey-forms/paths';
import { loadProvinceReference } from '../../survey-forms/provinces';
import { tallyResponses, type TalliedResponse } from '../../survey-forms/tally';
import { makeAnswers } from '../factories';

/**
 * All 63 provinces with known values, shaped on SIPAS 2020 as published: Hà Nội 85.15, TP HCM 83.75
 * (special-class cities 84.45), Hải Phòng 93.57, Đà Nẵng 83.10, Cần Thơ 84.00 (other centrally-run
 * cities 86.89), Quảng Ninh highest at 95.76, Bình Thuận lowest at 75.68, Hà Tĩnh 89.13 ranked 11th,
 * Lạng Sơn 83.97 ranked 39th, national 85.48. The other provinces are made up to fit those facts.
 */
const TARGETS: Record<string, number> = {
  '01': 85.15, '02': 94.8, '04': 94.12, '06': 92.95, '08': 92.3, '10': 91.64, '11': 90.88, '12': 90.21, '14': 89.6,
  '15': 84.86, '17': 85.04, '19': 85.14, '20': 83.97, '22': 95.76, '24': 85.41, '25': 85.59, '26': 85.77, '27': 85.95,
  '30': 86.13, '31': 93.57, '33': 86.32, '34': 86.5, '35': 86.68, '36': 86.87, '37': 87.05, '38': 87.23, '40': 87.42,
  '42': 89.13, '44': 87.6, '45': 87.78, '46': 87.97, '48': 83.1, '49': 88.15, '51': 88.33, '52': 88.52, '54': 88.7,
  '56': 88.88, '58': 89.07, '60': 75.68, '62': 89.11, '64': 77.65, '66': 77.98, '67': 78.3, '68': 78.63, '70': 78.95,
  '72': 79.28, '74': 79.6, '75': 79.93, '77': 80.25, '79': 83.75, '80': 80.58, '82': 80.9, '83': 81.23, '84': 81.55,
  '86': 81.87, '87': 82.2, '89': 82.53, '91': 82.85, '92': 84, '93': 83.09, '94': 83.5, '95': 83.74, '96': 83.95,
}; // prettier-ignore

/** The smallest sample on which k satisfied of n respondents lands within 0.001 points of the target. */
function sampleFor(target: number): { k: number; n: number } {
  for (let n = 40; n <= 5000; n += 1) {
    const k = Math.round((target * n) / 100);
    if (Math.abs((100 * k) / n - target) < 0.001) return { k, n };
  }
  throw new Error(`no sample for ${target}`);
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
/** Quantile by linear interpolation between order statistics, written out here rather than borrowed from the engine. */
function quantile(sorted: number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return (sorted[lo] as number) + (h - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

describe('national and group figures over all 63 provinces', () => {
  const forms = loadFormCatalogue(surveyFormsDir());
  const form = forms.get('sipas-2017', '1')!;
  const definition = loadIndexDefinitionCatalogue(indexDefinitionsDir(), forms).get('sipas-2017', '1')!;
  const provinces = loadProvinceReference(path.join(surveyFormsDir(), 'reference', 'provinces'));

  // A satisfied respondent answers every criterion 4 or 5, a dissatisfied one 2 or 3: every criterion,
  // element and the overall index of a province is then k/n.
  const satisfiedAnswers = [makeAnswers(5), makeAnswers(4)];
  const dissatisfiedAnswers = [makeAnswers(3), makeAnswers(2)];
  const samples = Object.fromEntries(Object.entries(TARGETS).map(([code, target]) => [code, sampleFor(target)]));
  const responses: TalliedResponse[] = Object.entries(samples).flatMap(([provinceCode, { k, n }]) =>
    Array.from({ length: n }, (_, i) => ({
      provinceCode,
      answers: i < k ? (satisfiedAnswers[i % 2] as Record<string, unknown>) : (dissatisfiedAnswers[i % 2] as Record<string, unknown>),
    })),
  );
  const exact = Object.fromEntries(Object.entries(samples).map(([code, { k, n }]) => [code, (100 * k) / n]));

  const figures = computeRoundFigures({
    definition,
    cells: tallyResponses(form, definition, responses),
    edition: 63,
    provinces,
    unitTypesOn: '2020-08-01',
    dimensionCodes: dimensionCodesOf(form),
  }).editions[0]!;
  const index = figures.indicators.overall!.estimates.index;
  const row = (rows: FigureRow[], group: string): FigureRow => rows.find((r) => r.group === group)!;

  test('when each province is computed, then its value is its k of n satisfied, rounded as published', () => {
    expect(figures.responses).toBe(responses.length);
    for (const [code, target] of Object.entries(TARGETS)) {
      expect([code, row(index.groupings.province, code).value]).toEqual([code, target]);
      expect(row(index.groupings.province, code).n).toBe(samples[code]?.n);
    }
  });

  test('when the national figure is computed, then it is the mean of the 63 provinces: 85.48', () => {
    const national = row(index.groupings.national, 'national');
    expect(national.value).toBe(round2(mean(Object.values(exact))));
    expect(national.value).toBe(85.48);
    expect(national).toMatchObject({ provinces: 63, n: responses.length });
  });

  test('when unit types are computed, then 2020 is reproduced: special-class 84.45, other centrally-run 86.89', () => {
    const byType = Object.fromEntries(index.groupings['unit-type'].map((r) => [r.group, [r.value, r.provinces]]));
    const provincesOnly = Object.keys(exact).filter((c) => !['01', '79', '31', '48', '92'].includes(c));
    expect(byType).toEqual({
      'special-class-city': [round2(mean([exact['01']!, exact['79']!])), 2],
      // In 2020 Huế (46) was still a province.
      'other-centrally-run-city': [round2(mean([exact['31']!, exact['48']!, exact['92']!])), 3],
      province: [round2(mean(provincesOnly.map((c) => exact[c]!))), 58],
    });
    expect([byType['special-class-city']?.[0], byType['other-centrally-run-city']?.[0]]).toEqual([84.45, 86.89]);
  });

  test('when regions are computed, then each is the mean of its provinces', () => {
    for (const r of index.groupings.region.filter((g) => g.provinces !== 0)) {
      const members = provinces.provinces(63).filter((p) => p.regionKey === r.group).map((p) => exact[p.code]!);
      expect([r.group, r.value, r.provinces]).toEqual([r.group, round2(mean(members)), members.length]);
    }
    expect(index.groupings.region.map((r) => r.provinces)).toEqual([14, 11, 14, 5, 6, 13]);
  });

  test('when provinces are ranked, then Quảng Ninh is 1st, Hà Tĩnh 11th, Lạng Sơn 39th and Bình Thuận 63rd', () => {
    const rankOf = (code: string) => row(index.groupings.province, code).rank;
    expect([rankOf('22'), rankOf('42'), rankOf('20'), rankOf('60')]).toEqual([1, 11, 39, 63]);
    const byValue = Object.entries(TARGETS).sort(([, a], [, b]) => b - a);
    byValue.forEach(([code], i) => expect([code, rankOf(code)]).toEqual([code, i + 1]));
  });

  test('when the spread is summarised, then median, quartiles and range match the provincial values', () => {
    const sorted = Object.values(TARGETS).sort((a, b) => a - b);
    expect(index.summary).toEqual({
      provinces: 63,
      median: sorted[31],
      q1: round2(quantile(sorted, 0.25)),
      q3: round2(quantile(sorted, 0.75)),
      min: { value: 75.68, groups: ['60'] },
      max: { value: 95.76, groups: ['22'] },
    });
  });

  test('when the 2020 round is re-expressed on the 34 units, then other centrally-run cities are the successors of Hải Phòng, Đà Nẵng and Cần Thơ, not Huế', () => {
    const on34 = computeRoundFigures({
      definition,
      cells: tallyResponses(form, definition, responses),
      edition: 63,
      provinces,
      unitTypesOn: '2020-08-01',
      dimensionCodes: dimensionCodesOf(form),
    }).editions[1]!;
    // Each unit of the 34 pools its old units' respondents: its value is Σk / Σn.
    const pooledShare = (unit: string) => {
      const old = Object.keys(samples).filter((code) => provinces.mergedInto(code) === unit);
      return (100 * old.reduce((sum, c) => sum + samples[c]!.k, 0)) / old.reduce((sum, c) => sum + samples[c]!.n, 0);
    };
    const byType = Object.fromEntries(on34.indicators.overall!.estimates.index.groupings['unit-type'].map((r) => [r.group, [r.value, r.provinces]]));
    expect(byType['other-centrally-run-city']).toEqual([round2(mean(['31', '48', '92'].map(pooledShare))), 3]);
    expect(byType['other-centrally-run-city']?.[0]).toBe(86.01); // with Huế among them, as before issue 19: 86.50
    expect(byType['province']?.[1]).toBe(29); // Huế (46) among them
  });

  test('when the round is re-expressed on the 34 units, then the national pooled figure is unchanged', () => {
    const on34 = computeRoundFigures({
      definition,
      cells: tallyResponses(form, definition, responses),
      edition: 63,
      provinces,
      unitTypesOn: '2020-08-01',
      dimensionCodes: dimensionCodesOf(form),
    }).editions[1]!;
    const pooled = (e: typeof on34) => row(e.indicators.overall!.estimates.pooled.groupings.national, 'national');
    expect(on34.edition).toBe(34);
    expect(pooled(on34)).toEqual({ ...pooled(figures), provinces: 34 });
    expect(on34.indicators.overall!.estimates.index.groupings.province.filter((r) => r.value !== null)).toHaveLength(34);
  });
});
