import path from 'node:path';
import { loadFormCatalogue } from '../../survey-forms/catalogue';
import { surveyFormsDir } from '../../survey-forms/paths';
import { loadProvinceReference } from '../../survey-forms/provinces';
import { codebookRows, microdataColumns, microdataRow } from '../../server/modules/exports/microdata';
import { makeAnswers } from '../factories';

const forms = loadFormCatalogue(surveyFormsDir());
const provinces = loadProvinceReference(path.join(surveyFormsDir(), 'reference', 'provinces'));
const form = forms.get('sipas-2017', '1')!;
const columns = microdataColumns(form, provinces, 63);
const names = columns.map((c) => c.name);

describe('microdata rows', () => {
  test('when columns are made, then every coded item is one, each option of a multiple choice a flag, and free text none', () => {
    expect(names.slice(0, 4)).toEqual(['respondent_no', 'round_id', 'province_code', 'weight']);
    expect(names).toEqual(expect.arrayContaining(['respondent_type', 'c01_p', 'c22_s', 'overall_s', 'sex', 'improve_first_1', 'improve_first_2']));
    expect(names).not.toContain('procedure_name');
    expect(names).not.toContain('comment');
    expect(names).not.toContain('improve_first');
    expect(new Set(names).size).toBe(names.length);
  });

  test('when a response becomes a row, then answers sit under their codes, skipped items are empty and nothing personal is read', () => {
    const answers = makeAnswers(4, { comment: 'Nguyễn Văn An, 0912 345 678' });
    const response = {
      roundId: 'r-2024',
      provinceCode: '79',
      answers,
      // Fields a stored response has that microdata must never show.
      submittedBy: 'enumerator-7',
      sampleUnitId: 'HCM-1',
      paradata: { startedAt: '2024-09-01T01:00:00Z', location: { lat: 10.7, lon: 106.6 } },
    };
    const row = microdataRow(columns, response, 12);
    const cell = (name: string) => row[names.indexOf(name)];
    expect(cell('respondent_no')).toBe(12);
    expect(cell('province_code')).toBe('79');
    expect(cell('weight')).toBeNull();
    expect(cell('mode')).toBe('capi'); // stored before modes existed: an interview
    expect(microdataRow(columns, { ...response, mode: 'papi' }, 1)[names.indexOf('mode')]).toBe('papi');
    expect(cell('c01_s')).toBe(4);
    expect(cell('c19_s')).toBeNull(); // not asked: no feedback given
    expect(cell('improve_first_2')).toBe(1);
    expect(cell('improve_first_1')).toBe(0);
    expect(row).toHaveLength(columns.length);
    const text = JSON.stringify(row);
    for (const personal of ['Nguyễn Văn An', '0912', 'enumerator-7', 'HCM-1', '2024-09-01', '106.6']) expect(text).not.toContain(personal);
  });

  test('when a multiple choice was not asked, then its flags are empty rather than 0', () => {
    const { improve_first: _dropped, ...answers } = makeAnswers(4);
    const row = microdataRow(columns, { roundId: 'r', provinceCode: '01', answers }, 1);
    expect(row[names.indexOf('improve_first_1')]).toBeNull();
  });

  test('when the codebook is written, then provinces are codes with their names, and each coded column lists its codes', () => {
    const rows = codebookRows(columns);
    expect(rows).toContainEqual(expect.objectContaining({ column: 'province_code', code: '01', codeLabelVi: 'Thành phố Hà Nội' }));
    expect(rows.filter((r) => r.column === 'province_code' && r.code !== null)).toHaveLength(63);
    expect(rows.filter((r) => r.column === 'c01_s' && r.code !== null).map((r) => r.code)).toEqual([1, 2, 3, 4, 5, 9]);
    expect(new Set(rows.map((r) => r.column))).toEqual(new Set(names));
  });
});
