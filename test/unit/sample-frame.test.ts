import path from 'node:path';
import { loadFormCatalogue } from '../../survey-forms/catalogue';
import { surveyFormsDir } from '../../survey-forms/paths';
import { loadProvinceReference } from '../../survey-forms/provinces';
import { checkSampleRows, normalizePhone, readSampleCsv, readSampleJson } from '../../survey-forms/sample-frame';

const form = loadFormCatalogue(surveyFormsDir()).get('sipas-2017', '1');
const provinces = loadProvinceReference(path.join(surveyFormsDir(), 'reference', 'provinces'));
if (!form) throw new Error('sipas-2017@1 is missing');
const ctx = { form, provinces, edition: 63 as const, existing: new Set<string>() };

describe('sample list', () => {
  test('when a CSV has a BOM, blank lines and quoted commas, then rows carry their real line numbers and values', () => {
    const csv = '\uFEFFunit_id,province_code,serving_level,service_field,respondent_type,name,phone,address\n\nA-1,1,1,3,1,"Lê Văn Tám","0912345678","1 Trần Phú, Hà Đông"\n';
    const { rows, fileProblems } = readSampleCsv(csv);
    expect(fileProblems).toEqual([]);
    const { units, problems } = checkSampleRows(rows, ctx);
    expect(problems).toEqual([]);
    expect(units).toEqual([
      {
        line: 3,
        unitId: 'A-1',
        provinceCode: '01',
        servingLevel: 1,
        serviceField: 3,
        respondentType: 1,
        procedure: null,
        postOffice: null,
        contact: { name: 'Lê Văn Tám', phone: '0912345678', address: '1 Trần Phú, Hà Đông' },
      },
    ]);
  });

  test('when a row has several problems, then each is reported with its field', () => {
    const { rows } = readSampleJson([{ unitId: 'bad id', provinceCode: '99', servingLevel: 9, serviceField: 1, respondentType: 3, phone: 'call me' }]);
    const { units, problems } = checkSampleRows(rows, ctx);
    expect(units).toEqual([]);
    expect(problems.map((p) => [p.line, p.field, p.code])).toEqual([
      [1, 'unitId', 'wrong_format'],
      [1, 'provinceCode', 'unknown_province'],
      [1, 'servingLevel', 'not_in_options'],
      [1, 'respondentType', 'not_in_options'],
      [1, 'name', 'required'],
      [1, 'phone', 'wrong_format'],
    ]);
    expect(problems[2]?.message).toBe('must be one of 1, 2, 3');
  });

  test('when the province is outside the importer’s provinces, then the row is forbidden', () => {
    const { rows } = readSampleJson([{ unitId: 'X', provinceCode: '79', servingLevel: 1, serviceField: 1, respondentType: 1, name: 'A' }]);
    expect(checkSampleRows(rows, { ...ctx, allowedProvinces: new Set(['01']) }).problems).toEqual([
      expect.objectContaining({ field: 'provinceCode', code: 'forbidden' }),
    ]);
  });

  test('when a CSV is not CSV, then one file problem says why', () => {
    const { rows, fileProblems } = readSampleCsv('unit_id,name\n"A-1,unterminated\n');
    expect(rows).toEqual([]);
    expect(fileProblems).toEqual([expect.objectContaining({ code: 'invalid_csv' })]);
  });

  test('when phones are normalised, then +84 becomes 0 and separators go', () => {
    expect(normalizePhone('+84 (912) 345-678')).toBe('0912345678');
    expect(normalizePhone('0912.345.678')).toBe('0912345678');
  });
});
