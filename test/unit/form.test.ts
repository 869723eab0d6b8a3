import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadFormCatalogue } from '../../survey-forms/catalogue';
import { compileForm, FormDefinitionError, type CompiledForm } from '../../survey-forms/form';
import type { FormDefinition } from '../../survey-forms/form-definition.schema';
import { surveyFormsDir } from '../../survey-forms/paths';
import { makeAnswers } from '../factories';

const label = (vi: string) => ({ vi, en: vi });

/** A small questionnaire with every item type and one skip rule. */
function tinyForm(): FormDefinition {
  return {
    formId: 'tiny',
    version: '1',
    status: 'draft',
    title: label('Phiếu nhỏ'),
    method: { decision: 'test', description: label('test') },
    scales: {
      sat: {
        kind: 'satisfaction',
        positiveCodes: [4, 5],
        options: [1, 2, 3, 4, 5].map((code) => ({ code, label: label(String(code)) })),
        notApplicable: { code: 9, label: label('Không áp dụng') },
      },
    },
    codeLists: { yesNo: [{ code: 1, label: label('Có') }, { code: 2, label: label('Không') }] },
    dimensions: { respondentType: 'kind', servingLevel: 'level', serviceField: 'field' },
    quality: { minDurationSeconds: 60 },
    sections: [
      {
        id: 'A',
        title: label('A'),
        items: [
          { id: 'kind', type: 'single', codeList: 'yesNo', label: label('kind') },
          { id: 'level', type: 'single', options: [{ code: 'x', label: label('x') }, { code: 'y', label: label('y') }], label: label('level') },
          { id: 'field', type: 'single', codeList: 'yesNo', label: label('field') },
          { id: 'gave', type: 'single', codeList: 'yesNo', label: label('gave') },
          { id: 'q1', type: 'scale', scale: 'sat', label: label('q1'), relevant: { item: 'gave', equals: 1 } },
          { id: 'picks', type: 'multiple', codeList: 'yesNo', maxSelected: 1, label: label('picks'), required: false },
          { id: 'age', type: 'integer', minimum: 18, maximum: 120, label: label('age') },
          { id: 'note', type: 'text', maxLength: 5, required: false, label: label('note') },
        ],
      },
    ],
  };
}

function problemsOf(raw: unknown): Array<{ path: string; message: string }> {
  try {
    compileForm(raw, 'tiny.json');
  } catch (error) {
    if (error instanceof FormDefinitionError) return error.problems.map(({ path, message }) => ({ path, message }));
    throw error;
  }
  return [];
}

describe('questionnaire definitions', () => {
  test('when the installed questionnaires are loaded, then sipas-2017 version 1 is there with its 22 criteria', () => {
    const catalogue = loadFormCatalogue(surveyFormsDir());
    const form = catalogue.get('sipas-2017', '1');
    expect(form?.definition.status).toBe('published');
    const satisfactionItems = form?.items.filter((fi) => fi.scale?.kind === 'satisfaction' && /^c\d\d_s$/.test(fi.item.id));
    expect(satisfactionItems).toHaveLength(22);
    expect(form?.definition.sections.filter((s) => /^E\d$/.test(s.id)).map((s) => s.items.filter((i) => i.id.endsWith('_s')).length)).toEqual([4, 5, 6, 3, 4]);
  });

  test('when a definition is well formed, then it compiles', () => {
    expect(problemsOf(tinyForm())).toEqual([]);
  });

  test('when a definition has several mistakes, then every one is reported with its path', () => {
    const form = tinyForm();
    const items = form.sections[0]!.items;
    items.push({ ...items[0]!, id: 'kind' });
    items.push({ id: 'q2', type: 'scale', scale: 'missing', label: label('q2') });
    items.push({ id: 'q3', type: 'single', codeList: 'nope', label: label('q3') });
    items[3] = { ...items[3]!, relevant: { item: 'later', equals: 1 } };
    form.dimensions.respondentType = 'q1';
    form.dimensions.serviceField = 'gone';
    expect(problemsOf(form)).toEqual([
      { path: '/sections/0/items/8/id', message: 'item id kind is used twice' },
      { path: '/sections/0/items/9/scale', message: 'names no scale of the form (missing)' },
      { path: '/sections/0/items/10/codeList', message: 'names no code list (nope)' },
      { path: '/sections/0/items/3/relevant', message: 'reads item later, which is not an item asked before this one' },
      { path: '/dimensions/respondentType', message: 'must name a single-choice item (q1)' },
      { path: '/dimensions/serviceField', message: 'names no item (gone)' },
    ]);
  });

  test('when a definition breaks the file format, then the shape errors carry paths', () => {
    const form = tinyForm() as unknown as Record<string, unknown>;
    form.version = 'one';
    delete form.title;
    expect(problemsOf(form)).toEqual([
      { path: '/title', message: 'is required' },
      { path: '/version', message: 'must match the pattern ^[0-9]+(\\.[0-9]+){0,2}$' },
    ]);
  });
});

describe('answer validation', () => {
  let form: CompiledForm;
  beforeAll(() => {
    form = compileForm(tinyForm());
  });
  const valid = { kind: 1, level: 'x', field: 2, gave: 1, q1: 4, picks: [1], age: 40, note: 'ok' };

  test('when every answer fits, then there is no problem', () => {
    expect(form.validateAnswers(valid)).toEqual([]);
  });

  test('when an answer is out of the scale, then the problem names the item and the allowed codes', () => {
    expect(form.validateAnswers({ ...valid, q1: 7 })).toEqual([
      { path: '/answers/q1', code: 'not_in_options', message: 'must be one of 1, 2, 3, 4, 5, 9' },
    ]);
  });

  test('when "not applicable" is given on a scale that has it, then it is valid', () => {
    expect(form.validateAnswers({ ...valid, q1: 9 })).toEqual([]);
  });

  test('when a skip rule says an item is not asked, then an answer to it is refused and its absence is fine', () => {
    expect(form.validateAnswers({ ...valid, gave: 2 })).toEqual([
      expect.objectContaining({ path: '/answers/q1', code: 'not_asked' }),
    ]);
    const { q1: _q1, ...withoutQ1 } = valid;
    expect(form.validateAnswers({ ...withoutQ1, gave: 2 })).toEqual([]);
  });

  test('when a required item is missing or an optional one is, then only the required one is reported', () => {
    const { age: _age, note: _note, ...rest } = valid;
    expect(form.validateAnswers(rest)).toEqual([{ path: '/answers/age', code: 'required', message: 'is required' }]);
  });

  test('when answers have wrong types, unknown items and broken constraints, then each is reported', () => {
    const problems = form.validateAnswers({ ...valid, age: 17, note: 'too long', picks: [1, 2], level: 'z', extra: 1, kind: '1' });
    expect(problems.map((p) => [p.path, p.code])).toEqual(
      expect.arrayContaining([
        ['/answers/age', 'too_small'],
        ['/answers/note', 'too_long'],
        ['/answers/picks', 'too_many'],
        ['/answers/level', 'not_in_options'],
        ['/answers/extra', 'unknown_field'],
        ['/answers/kind', 'not_in_options'],
      ]),
    );
    expect(problems).toHaveLength(6);
  });

  test('when answers are not an object, then that is the one problem', () => {
    expect(form.validateAnswers([1, 2])).toEqual([{ path: '/answers', code: 'wrong_type', message: 'must be an object of item id to answer' }]);
  });

  test('when the factory fills sipas-2017, then its answers pass (the integration tests rely on it)', () => {
    const sipas = loadFormCatalogue(surveyFormsDir()).get('sipas-2017', '1');
    expect(sipas?.validateAnswers(makeAnswers(5))).toEqual([]);
    expect(sipas?.validateAnswers(makeAnswers(4, { gave_feedback: 1 }))).toEqual(
      ['c19', 'c20', 'c21', 'c22'].flatMap((c) => [`${c}_p`, `${c}_s`]).map((id) => ({ path: `/answers/${id}`, code: 'required', message: 'is required' })),
    );
  });
});

describe('questionnaire files', () => {
  test('when a file says another version than its path, then loading fails with both', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'forms-'));
    mkdirSync(path.join(dir, 'tiny'));
    writeFileSync(path.join(dir, 'tiny', '2.json'), JSON.stringify(tinyForm()));
    expect(() => loadFormCatalogue(dir)).toThrow('tiny/2.json: declares tiny@1, its path says tiny@2');
    rmSync(dir, { recursive: true });
  });
});
