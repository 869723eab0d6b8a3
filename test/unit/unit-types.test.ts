import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { computeRoundFigures, dimensionCodesOf, type EditionFigures } from '../../survey-forms/index-engine/round-figures';
import { roundTo2 } from '../../survey-forms/index-engine/statistics';
import { surveyFormsDir } from '../../survey-forms/paths';
import {
  buildProvinceReference,
  loadProvinceReference,
  ReferenceDataError,
  unitTypeMembers,
  type BoundaryEdition,
  type ProvinceReference,
  type UnitType,
} from '../../survey-forms/provinces';
import { tallyResponses, type TalliedResponse } from '../../survey-forms/tally';
import { tinyAnswers, tinyMethod } from './tiny-method';

const dir = path.join(surveyFormsDir(), 'reference', 'provinces');
const reference = loadProvinceReference(dir);
const codesOf = (edition: BoundaryEdition) => reference.provinces(edition).map((p) => p.code);
const except = (edition: BoundaryEdition, cities: string[]) => codesOf(edition).filter((c) => !cities.includes(c));

/** The 34 units that are provinces from 1 July 2025 (Nghị quyết 202/2025/QH15: 28 provinces, 6 cities). */
const PROVINCES_34 = ['04', '08', '11', '12', '14', '15', '19', '20', '22', '24', '25', '33', '37', '38', '40', '42', '44', '51', '52', '56', '66', '68', '75', '80', '82', '86', '91', '96'];

/** Each case: a round (its fieldwork start) viewed on an edition, and the units of each unit-type group. */
const CASES: Array<{ round: string; unitTypesOn: string; edition: BoundaryEdition; expected: Record<UnitType, string[]> }> = [
  {
    round: '2020, on the 63 units',
    unitTypesOn: '2020-08-01',
    edition: 63,
    expected: { 'special-class-city': ['01', '79'], 'other-centrally-run-city': ['31', '48', '92'], province: except(63, ['01', '79', '31', '48', '92']) },
  },
  {
    // Huế (46) was a province in 2020; each merged city continues the city whose code and centre it keeps.
    round: '2020, on the 34 units',
    unitTypesOn: '2020-08-01',
    edition: 34,
    expected: { 'special-class-city': ['01', '79'], 'other-centrally-run-city': ['31', '48', '92'], province: [...PROVINCES_34, '46'].sort() },
  },
  {
    round: '2025, on the 63 units',
    unitTypesOn: '2025-08-01',
    edition: 63,
    expected: { 'special-class-city': ['01', '79'], 'other-centrally-run-city': ['31', '46', '48', '92'], province: except(63, ['01', '79', '31', '46', '48', '92']) },
  },
  {
    round: '2025, on the 34 units',
    unitTypesOn: '2025-08-01',
    edition: 34,
    expected: { 'special-class-city': ['01', '79'], 'other-centrally-run-city': ['31', '46', '48', '92'], province: PROVINCES_34 },
  },
];

describe('unit types by the round\'s date, on every edition', () => {
  test.each(CASES)('when a round of $round is grouped by unit type, then each group lists exactly its units', ({ unitTypesOn, edition, expected }) => {
    expect(unitTypeMembers(reference, edition, unitTypesOn)).toEqual(expected);
  });

  test('when the lists are counted, then they hold every unit once: 63 = 2 + 3 + 58 in 2020, 34 = 2 + 4 + 28 in 2025', () => {
    expect(CASES.map((c) => [c.expected['special-class-city'].length, c.expected['other-centrally-run-city'].length, c.expected.province.length])).toEqual([
      [2, 3, 58],
      [2, 3, 29],
      [2, 4, 57],
      [2, 4, 28],
    ]);
  });

  test('when Huế is typed on either side of 1 January 2025, then both editions agree', () => {
    for (const edition of [63, 34] as const) {
      expect([reference.unitTypeOn(edition, '46', '2024-12-31'), reference.unitTypeOn(edition, '46', '2025-01-01')]).toEqual(['province', 'other-centrally-run-city']);
    }
  });
});

describe('the index engine groups by those units', () => {
  const method = tinyMethod();
  // Province i of the 63 has 2–5 respondents, k of them satisfied with everything, the rest with nothing:
  // every indicator of a unit (old or merged) is then its satisfied share k/n.
  const samples = codesOf(63).map((code, i) => ({ code, n: 2 + (i % 4), k: i % (3 + (i % 4)) }));
  const responses: TalliedResponse[] = samples.flatMap(({ code, n, k }) =>
    Array.from({ length: n }, (_, r) => ({ provinceCode: code, answers: tinyAnswers(r < k ? { q1: 5, q2: 5, q3: 5, gave: 2 } : { q1: 1, q2: 1, q3: 1, gave: 2 }) })),
  );
  const cells = tallyResponses(method.form, method.definition, responses);

  /** k and n of each unit of an edition, pooled from the old units it holds. */
  const pooled = (edition: BoundaryEdition, provinces: ProvinceReference) => {
    const byUnit = new Map<string, { k: number; n: number }>();
    for (const s of samples) {
      const unit = edition === 63 ? s.code : provinces.mergedInto(s.code);
      const sum = byUnit.get(unit) ?? { k: 0, n: 0 };
      byUnit.set(unit, { k: sum.k + s.k, n: sum.n + s.n });
    }
    return byUnit;
  };

  test.each(CASES)('when a round of $round is computed, then each unit-type row is the mean of exactly its units', ({ unitTypesOn, edition, expected }) => {
    const figures = computeRoundFigures({ definition: method.definition, cells, edition: 63, provinces: reference, unitTypesOn, dimensionCodes: dimensionCodesOf(method.form) });
    const on = figures.editions.find((e) => e.edition === edition) as EditionFigures;
    const units = pooled(edition, reference);
    const rows = on.indicators.overall!.estimates.index.groupings['unit-type'];
    for (const [type, members] of Object.entries(expected)) {
      const shares = members.map((code) => units.get(code)!.k / units.get(code)!.n);
      const row = rows.find((r) => r.group === type)!;
      expect([type, row.provinces, row.n]).toEqual([type, members.length, members.reduce((sum, code) => sum + units.get(code)!.n, 0)]);
      expect(row.value).toBeCloseTo(roundTo2((100 * shares.reduce((a, b) => a + b, 0)) / shares.length), 2);
    }
  });
});

describe('checking the unit-type table', () => {
  const tablesWith = (unitTypes: Array<Record<string, string>>) => {
    // The real lists and merger map; Huế's unit-type rows replaced.
    const read = (file: string) => parse<Record<string, string>>(readFileSync(path.join(dir, file), 'utf8'), { columns: true, skip_empty_lines: true, bom: true });
    const others = read('unit-types.csv').filter((r) => r.code !== '46');
    return { provinces63: read('provinces-63.csv'), provinces34: read('provinces-34.csv'), merger: read('merger-2025.csv'), unitTypes: [...others, ...unitTypes] };
  };
  const problemsOf = (unitTypes: Array<Record<string, string>>): string[] => {
    try {
      buildProvinceReference(tablesWith(unitTypes));
      return [];
    } catch (error) {
      if (error instanceof ReferenceDataError) return error.problems;
      throw error;
    }
  };
  const row = (edition: string, unit_type: string, valid_from: string, valid_to: string) => ({ edition, code: '46', unit_type, valid_from, valid_to });
  const hue63 = [row('63', 'province', '', '2024-12-31'), row('63', 'other-centrally-run-city', '2025-01-01', '')];

  test('when a 34-unit row carries no dates, as Huế\'s once did, then loading stops: before the merger it would type Huế a city', () => {
    expect(problemsOf([...hue63, row('34', 'other-centrally-run-city', '', '')])).toEqual([
      'unit-types.csv: at the open start 46 (edition 34) is other-centrally-run-city, but before 2025-07-01 it takes the type of 46 (edition 63), province',
    ]);
  });

  test('when a unit\'s periods leave a day without a type, then loading stops', () => {
    expect(problemsOf([row('63', 'province', '', '2024-12-30'), row('63', 'other-centrally-run-city', '2025-01-01', ''), row('34', 'province', '', '2024-12-31'), row('34', 'other-centrally-run-city', '2025-01-01', '')])).toEqual([
      'unit-types.csv: 46 (edition 63) has no type between 2024-12-30 and 2025-01-01',
    ]);
  });

  test('when the rows are as shipped, then they load', () => {
    expect(problemsOf([...hue63, row('34', 'province', '', '2024-12-31'), row('34', 'other-centrally-run-city', '2025-01-01', '')])).toEqual([]);
  });
});
