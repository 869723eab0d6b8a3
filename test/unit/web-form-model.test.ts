import { compileForm } from '../../survey-forms/form';
import { loadFormCatalogue } from '../../survey-forms/catalogue';
import { surveyFormsDir } from '../../survey-forms/paths';
import { askedItems, askedSections, firstSectionWithProblem, groupProblems, parseIntegerInput, prefillFromSample, setAnswer, toggleCode } from '../../web/src/form-model';
import { problemMessage } from '../../web/src/i18n';
import { MAX_GAP_MS, newClock, tick } from '../../web/src/paradata';
import { makeAnswers } from '../factories';

const form = loadFormCatalogue(surveyFormsDir()).get('sipas-2017', '1');
if (!form) throw new Error('sipas-2017@1 is missing');

describe('walking a questionnaire in the app', () => {
  test('when "gave feedback" changes to no, then the feedback criteria disappear and their answers are dropped', () => {
    let answers = setAnswer(form, {}, 'gave_feedback', 1);
    expect(askedItems(form, 'E5', answers).map((fi) => fi.item.id)).toContain('c19_s');
    answers = setAnswer(form, answers, 'c19_s', 4);
    answers = setAnswer(form, answers, 'gave_feedback', 2);
    expect(answers).toEqual({ gave_feedback: 2 });
    expect(askedItems(form, 'E5', answers).map((fi) => fi.item.id)).toEqual(['gave_feedback']);
  });

  test('when an answer is cleared, then the key goes (an empty text is no answer)', () => {
    expect(setAnswer(form, { comment: 'x' }, 'comment', '')).toEqual({});
    expect(setAnswer(form, { improve_first: [1] }, 'improve_first', [])).toEqual({});
  });

  test('when an integer field holds text, then the text is kept for the validator to refuse', () => {
    expect(parseIntegerInput(' 42 ')).toBe(42);
    expect(parseIntegerInput('-3')).toBe(-3);
    expect(parseIntegerInput('4,5')).toBe('4,5');
    expect(parseIntegerInput('')).toBeUndefined();
  });

  test('when options are toggled, then the selection keeps the options’ order', () => {
    expect(toggleCode([1, 2, 3], [3], 1)).toEqual([1, 3]);
    expect(toggleCode([1, 2, 3], [1, 3], 1)).toEqual([3]);
  });

  test('when the sample list knows the dimensions, then they are filled in', () => {
    expect(prefillFromSample(form, { respondentType: 2, servingLevel: 3, serviceField: 99 })).toEqual({ respondent_type: 2, serving_level: 3, service_field: 99 });
    expect(prefillFromSample(form, { respondentType: 7, servingLevel: 3, serviceField: 99 })).toEqual({ serving_level: 3, service_field: 99 });
  });

  test('when a complete response misses one answer, then the first section with a problem is found', () => {
    const answers = makeAnswers(4, { c10_s: undefined });
    delete answers.c10_s;
    const { byItem, general } = groupProblems(form.validateAnswers(answers));
    expect([...byItem.keys()]).toEqual(['c10_s']);
    expect(general).toEqual([]);
    expect(askedSections(form, answers)[firstSectionWithProblem(form, answers, byItem)]?.id).toBe('E3');
  });

  test('when the validator reports a limit, then the message names the item’s own limit in Vietnamese and English', () => {
    const age = compileForm({
      ...form.definition,
      formId: 'age-test',
      sections: [...form.definition.sections, { id: 'Z', title: { vi: 'Z', en: 'Z' }, items: [{ id: 'age', type: 'integer', minimum: 18, maximum: 99, label: { vi: 'Tuổi', en: 'Age' } }] }],
    });
    const [problem] = age.validateAnswers({ ...makeAnswers(), age: 120 }).filter((p) => p.path === '/answers/age');
    expect(problem).toBeDefined();
    const item = age.itemById.get('age')?.item;
    expect(problemMessage(problem!, 'vi', item)).toBe('Số không được lớn hơn 99.');
    expect(problemMessage(problem!, 'en', item)).toBe('The number must be at most 99.');
    expect(problemMessage({ path: '/x', code: 'something_new', message: 'as the server says' }, 'vi')).toBe('as the server says');
  });
});

describe('time per section', () => {
  test('when sections are shown in turn, then each gets the seconds it was on screen; a long gap is not counted', () => {
    let clock = tick(newClock(), 0, 'A');
    clock = tick(clock, 30_000, 'B');
    clock = tick(clock, 90_000, 'A');
    clock = tick(clock, 95_000, null);
    clock = tick(clock, 100_000, 'B');
    clock = tick(clock, 100_000 + MAX_GAP_MS + 1, 'C');
    expect(clock.seconds).toEqual({ A: 35, B: 60 });
    expect(clock.running).toEqual({ sectionId: 'C', since: 100_000 + MAX_GAP_MS + 1 });
  });
});
