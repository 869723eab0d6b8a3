import path from 'node:path';
import { loadFormCatalogue, loadIndexDefinitionCatalogue } from '../../survey-forms/catalogue';
import { compileForm, FormDefinitionError } from '../../survey-forms/form';
import type { LocalizedText } from '../../survey-forms/form-definition.schema';
import { computeRoundFigures, dimensionCodesOf } from '../../survey-forms/index-engine/round-figures';
import { indexDefinitionsDir, surveyFormsDir } from '../../survey-forms/paths';
import { loadProvinceReference } from '../../survey-forms/provinces';
import { createRandom, syntheticAnswers } from '../../survey-forms/synthetic-answers';
import { tallyResponses } from '../../survey-forms/tally';
import { tinyFormDefinition } from './tiny-method';

const forms = loadFormCatalogue(surveyFormsDir());
const definitions = loadIndexDefinitionCatalogue(indexDefinitionsDir(), forms);
const sipas2017 = forms.get('sipas-2017', '1')!;
const sipas2022 = forms.get('sipas-2022', '1')!;

/** Every label of a questionnaire definition, wherever it sits. */
function labelsOf(node: unknown): LocalizedText[] {
  if (Array.isArray(node)) return node.flatMap(labelsOf);
  if (typeof node !== 'object' || node === null) return [];
  const record = node as Record<string, unknown>;
  const own = typeof record.vi === 'string' && typeof record.en === 'string' ? [record as unknown as LocalizedText] : [];
  return [...own, ...Object.values(record).flatMap(labelsOf)];
}

describe('the 2017–2021 questionnaire', () => {
  test('when its items are listed, then it asks what Quyết định 2640 asks, profile and comment included', () => {
    const ids = sipas2017.items.map((fi) => fi.item.id);
    for (const id of ['respondent_type', 'serving_level', 'service_field', 'procedure_name', 'gave_feedback', 'overall_s', 'improve_first', 'sex', 'age_group', 'education', 'occupation', 'ethnicity', 'comment']) {
      expect(ids).toContain(id);
    }
    for (let c = 1; c <= 22; c += 1) {
      const id = `c${String(c).padStart(2, '0')}`;
      expect(sipas2017.itemById.get(`${id}_p`)?.scale?.notApplicable?.code).toBe(9);
      expect(sipas2017.itemById.get(`${id}_s`)?.scale?.kind).toBe('satisfaction');
    }
    expect(sipas2017.itemById.get('service_field')?.codes).toHaveLength(16);
  });
});

describe('the 2022– questionnaire', () => {
  test('when it is loaded, then it is published under Quyết định 1001 with perceptions, policy, services, needs and profile', () => {
    expect(sipas2022.definition).toMatchObject({ status: 'published', method: { decision: 'Quyết định 1001/QĐ-BNV (11/12/2023)' } });
    expect(sipas2022.definition.sections.map((s) => s.id)).toEqual(['P', 'C', 'S0', 'S1', 'S2', 'S3', 'S4', 'S5', 'N', 'H']);
    expect(sipas2022.items.filter((fi) => /^p0\d_/.test(fi.item.id))).toHaveLength(27);
    expect(sipas2022.items.filter((fi) => /^s0\d_/.test(fi.item.id) && fi.scale?.kind === 'satisfaction')).toHaveLength(18);
    expect(sipas2022.itemById.get('policy_priorities')?.codes).toHaveLength(9);
  });

  test('when items 15–33 are read, then they carry the verbatim wording of the national form, in its five elements', () => {
    const services = sipas2022.items.filter((fi) => /^q\d\d$/.test(fi.item.id));
    expect(services.map((fi) => fi.item.id)).toEqual(Array.from({ length: 19 }, (_, i) => `q${i + 15}`));
    expect(services.map((fi) => fi.section.id)).toEqual([...'1111', ...'2222', ...'33333', ...'444', ...'555'].map((n) => `S${n}`));
    expect(sipas2022.itemById.get('q15')?.item.label).toMatchObject({
      vi: 'Cơ quan cung cấp thông tin về việc giải quyết thủ tục hành chính theo nhiều hình thức, dễ tiếp cận, dễ hiểu đối với mọi người dân',
      wording: 'verbatim',
    });
    expect(sipas2022.itemById.get('q25')?.item.label.vi).toBe(
      'Công chức hướng dẫn hồ sơ dễ hiểu, đảm bảo người dân có thể hoàn thiện hồ sơ sau một lần hướng dẫn',
    );
    // The reference elides part of items 17, 19 and 28–30: their completed wording is marked reconstructed.
    expect(['q17', 'q19', 'q28', 'q29', 'q30'].map((id) => sipas2022.itemById.get(id)?.item.label.wording)).toEqual(Array(5).fill('reconstructed'));
  });

  test('when its labels are checked, then every one has Vietnamese and English and says where its wording comes from', () => {
    const labels = labelsOf(sipas2022.definition.sections);
    expect(labels.length).toBeGreaterThan(100);
    expect(labels.filter((l) => !l.vi || !l.en || l.wording === undefined)).toEqual([]);
    // Nothing about public policy could be sourced: all of it is draft.
    const policy = sipas2022.definition.sections.filter((s) => s.id === 'P' || s.id === 'C').flatMap((s) => s.items.map((i) => i.label.wording));
    expect(new Set(policy)).toEqual(new Set(['draft']));
  });

  test('when someone used no administrative service, then the service part and its dimensions are skipped', () => {
    const random = createRandom(7);
    const answers = syntheticAnswers(sipas2022, random, { satisfied: 0.8, fixed: { used_service: 2 } });
    expect(answers.serving_level).toBeUndefined();
    expect(answers.q15).toBeUndefined();
    expect(sipas2022.validateAnswers(answers)).toEqual([]);
    expect(sipas2022.validateAnswers({ ...answers, serving_level: 1 })).toEqual([
      expect.objectContaining({ path: '/answers/serving_level', code: 'not_asked' }),
    ]);
    const used = syntheticAnswers(sipas2022, random, { satisfied: 0.8, fixed: { used_service: 1 } });
    const { serving_level: _level, ...withoutLevel } = used;
    expect(sipas2022.validateAnswers(withoutLevel)).toEqual([expect.objectContaining({ path: '/answers/serving_level', code: 'required' })]);
  });

  test('when a respondent without a service is tallied, then they count for policy and in no serving-level group', () => {
    const definition = definitions.get('sipas-2022', '1')!;
    const random = createRandom(11);
    const responses = [
      { provinceCode: '42', answers: syntheticAnswers(sipas2022, random, { satisfied: 1, notApplicable: 0, fixed: { used_service: 2 } }) },
      { provinceCode: '42', answers: syntheticAnswers(sipas2022, random, { satisfied: 0, notApplicable: 0, fixed: { used_service: 1, serving_level: 3 } }) },
    ];
    const cells = tallyResponses(sipas2022, definition, responses);
    expect(cells.map((c) => c.dimensions.servingLevel).sort()).toEqual(['', '3']);
    const figures = computeRoundFigures({
      definition,
      cells,
      edition: 63,
      provinces: loadProvinceReference(path.join(surveyFormsDir(), 'reference', 'provinces')),
      unitTypesOn: '2024-08-01',
      dimensionCodes: dimensionCodesOf(sipas2022),
    }).editions[0]!;
    const province = (id: string) => figures.indicators[id]!.estimates.index.groupings.province.find((r) => r.group === '42');
    // Policy: both respondents, one all satisfied, one not: 50%. Services: only the second: 0%.
    expect([province('policy')?.value, province('policy')?.n, province('services')?.value, province('services')?.n]).toEqual([50, 2, 0, 1]);
    // Overall 0.6 · 50 + 0.4 · 0 = 30.
    expect(province('overall')?.value).toBe(30);
    const byLevel = figures.indicators.policy!.estimates.index.groupings.level;
    expect(byLevel.map((r) => [r.group, r.n])).toEqual([
      ['1', 0],
      ['2', 0],
      ['3', 1],
    ]);
  });
});

describe('dimension items', () => {
  test('when a dimension item has a skip rule, then the questionnaire compiles; when it is not single-choice, it does not', () => {
    const form = tinyFormDefinition();
    const items = form.sections[0]!.items;
    items.push({ id: 'used', type: 'single', codeList: 'yesNo', label: { vi: 'used', en: 'used' } });
    items.push({ id: 'level2', type: 'single', codeList: 'level', label: { vi: 'l', en: 'l' }, relevant: { item: 'used', equals: 1 } });
    form.dimensions.servingLevel = 'level2';
    expect(() => compileForm(form)).not.toThrow();
    form.dimensions.servingLevel = 'q1';
    expect(() => compileForm(form)).toThrow(FormDefinitionError);
    expect(() => compileForm(form)).toThrow('/dimensions/servingLevel: must name a single-choice item (q1)');
  });
});

describe('synthetic answers', () => {
  test.each([
    ['sipas-2017', sipas2017],
    ['sipas-2022', sipas2022],
  ])('when %s answers are drawn, then every one passes the validator and none is straight-lined', (_id, form) => {
    const random = createRandom(2024);
    for (let i = 0; i < 200; i += 1) {
      const answers = syntheticAnswers(form, random, { satisfied: 0.75 + 0.2 * random() });
      expect(form.validateAnswers(answers)).toEqual([]);
      const scaleAnswers = form.items.filter((fi) => fi.item.type === 'scale' && answers[fi.item.id] !== undefined).map((fi) => answers[fi.item.id]);
      expect(new Set(scaleAnswers).size).toBeGreaterThan(1);
    }
  });

  test('when the same seed is used twice, then the same answers come out', () => {
    const a = syntheticAnswers(sipas2017, createRandom(5), { satisfied: 0.9 });
    const b = syntheticAnswers(sipas2017, createRandom(5), { satisfied: 0.9 });
    expect(a).toEqual(b);
  });
});
