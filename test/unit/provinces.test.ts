import path from 'node:path';
import { surveyFormsDir } from '../../survey-forms/paths';
import { buildProvinceReference, loadProvinceReference, ReferenceDataError, type ProvinceTables } from '../../survey-forms/provinces';

const dir = path.join(surveyFormsDir(), 'reference', 'provinces');

describe('province reference data', () => {
  const reference = loadProvinceReference(dir);

  test('when the files are loaded, then there are 63 old units and 34 new ones', () => {
    expect(reference.provinces(63)).toHaveLength(63);
    expect(reference.provinces(34)).toHaveLength(34);
    expect(reference.province(34, '15')?.nameShort).toBe('Lào Cai');
    expect(reference.province(63, '15')?.nameShort).toBe('Yên Bái');
  });

  test('when units are typed, then Hà Nội and TP HCM are special-class cities in both editions', () => {
    for (const edition of [63, 34] as const) {
      expect(reference.unitTypeOn(edition, '01', '2025-08-01')).toBe('special-class-city');
      expect(reference.unitTypeOn(edition, '79', '2025-08-01')).toBe('special-class-city');
      expect(reference.unitTypeOn(edition, '31', '2025-08-01')).toBe('other-centrally-run-city');
    }
    expect(reference.unitTypeOn(63, '40', '2024-08-01')).toBe('province');
  });

  test('when a round of 2024 groups Huế, then it is a province; from 2025 it is a centrally-run city', () => {
    expect(reference.unitTypeOn(63, '46', '2024-08-01')).toBe('province');
    expect(reference.unitTypeOn(63, '46', '2024-12-31')).toBe('province');
    expect(reference.unitTypeOn(63, '46', '2025-01-01')).toBe('other-centrally-run-city');
  });

  test('when old units are mapped, then merged ones go to the unit hosting the new centre', () => {
    expect(reference.mergedInto('15')).toBe('15'); // Yên Bái → Lào Cai (code 15)
    expect(reference.mergedInto('10')).toBe('15'); // Lào Cai's old code is retired
    expect(reference.mergedInto('01')).toBe('01');
    const targets = new Set(reference.provinces(63).map((p) => reference.mergedInto(p.code)));
    expect(targets.size).toBe(34);
  });

  test('when the tables contradict each other, then every problem is reported', () => {
    const tables: ProvinceTables = {
      provinces63: [{ code: '01', name_vi: 'A', kind: 'centrally-run city' }, { code: '1', name_vi: '' }],
      provinces34: [{ code: '01', name_vi: 'A' }],
      merger: [{ old_code: '01', new_code: '02' }],
      unitTypes: [{ edition: '63', code: '01', unit_type: 'capital', valid_from: '', valid_to: '' }],
    };
    let problems: string[] = [];
    try {
      buildProvinceReference(tables);
    } catch (error) {
      if (error instanceof ReferenceDataError) problems = error.problems;
    }
    expect(problems).toEqual([
      'provinces-63.csv line 3: code "1" is not two digits',
      'provinces-63.csv line 3: name_vi is empty',
      'provinces-63.csv: 2 units, expected 63',
      'provinces-34.csv: 1 units, expected 34',
      'merger-2025.csv line 2: new_code 02 is not one of the 34 units',
      'merger-2025.csv: old unit 1 is not mapped',
      'merger-2025.csv: no old unit becomes new unit 01',
      'unit-types.csv line 2: unit_type capital is unknown',
    ]);
  });
});
