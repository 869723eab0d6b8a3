import { loadFormCatalogue } from '../../survey-forms/catalogue';
import { surveyFormsDir } from '../../survey-forms/paths';
import { keyedItems, keyOne, keyTyped, nextItem, oneKeyCodes, previousItem, shownAnswer } from '../../web/src/keying-model';

const form = loadFormCatalogue(surveyFormsDir()).get('sipas-2017', '1')!;

describe('keying a paper form from the keyboard', () => {
  test('a scale item takes one key, 1–5 or 9, and the cursor moves on; other keys change nothing', () => {
    expect(oneKeyCodes(form.itemById.get('c01_p')!)).toEqual([1, 2, 3, 4, 5, 9]);
    expect(keyOne(form, {}, 'c01_p', '4')).toEqual({ answers: { c01_p: 4 }, cursor: 'c01_s' });
    expect(keyOne(form, {}, 'c01_p', '9')?.answers).toEqual({ c01_p: 9 });
    expect(keyOne(form, {}, 'c01_p', '7')).toBeUndefined();
    expect(keyOne(form, {}, 'c01_p', 'a')).toBeUndefined();
  });

  test('a single choice with codes above 9, a multiple choice, and text are typed and confirmed', () => {
    expect(oneKeyCodes(form.itemById.get('service_field')!)).toBeUndefined();
    expect(keyTyped(form, {}, 'service_field', '15')).toEqual({ answers: { service_field: 15 }, cursor: 'procedure_name' });
    expect(keyTyped(form, {}, 'improve_first', '2, 4').answers).toEqual({ improve_first: [2, 4] });
    expect(keyTyped(form, {}, 'procedure_name', ' Đổi GPLX ').answers).toEqual({ procedure_name: 'Đổi GPLX' });
    expect(keyTyped(form, { comment: 'x' }, 'comment', '').answers).toEqual({});
  });

  test('skip rules apply as the keyer types: "no feedback" jumps past the feedback criteria, and back again', () => {
    const no = keyOne(form, {}, 'gave_feedback', '2')!;
    expect(no.cursor).toBe('overall_s');
    const yes = keyOne(form, {}, 'gave_feedback', '1')!;
    expect(yes.cursor).toBe('c19_p');
    // Changing the answer to "no" drops the feedback answers keyed meanwhile.
    const keyed = keyOne(form, yes.answers, 'c19_p', '4')!;
    expect(keyOne(form, keyed.answers, 'gave_feedback', '2')!.answers).toEqual({ gave_feedback: 2 });
    expect(keyedItems(form, no.answers).map((fi) => fi.item.id)).not.toContain('c19_p');
    expect(previousItem(form, no.answers, 'overall_s')).toBe('gave_feedback');
    expect(nextItem(form, {}, 'comment')).toBeNull();
  });

  test('answers show as typed', () => {
    expect([shownAnswer(undefined), shownAnswer(4), shownAnswer([2, 4]), shownAnswer('x')]).toEqual(['', '4', '2 4', 'x']);
  });
});
