import { loadFormCatalogue } from '../../survey-forms/catalogue';
import { surveyFormsDir } from '../../survey-forms/paths';
import { askedBlocks, sectionSummaries } from '../../web/src/form-overview';
import { setAnswer } from '../../web/src/form-model';
import { makeAnswers } from '../factories';

const catalogue = loadFormCatalogue(surveyFormsDir());
const compact = catalogue.get('sipas-2017', '1.1');
const plain = catalogue.get('sipas-2017', '1');
if (!compact || !plain) throw new Error('sipas-2017 1 and 1.1 are needed');
const sectionOf = (id: string) => {
  const section = compact.definition.sections.find((s) => s.id === id);
  if (!section) throw new Error(`no section ${id}`);
  return section;
};

describe('the section overview and the review before completing', () => {
  test('when nothing is answered yet, then every section is open, none in error, and every question is listed as unanswered', () => {
    const summaries = sectionSummaries(compact, {}, new Set());
    expect(summaries.map((s) => s.state)).toEqual(summaries.map(() => 'open'));
    expect(summaries.find((s) => s.section.id === 'E1')?.unanswered.map((fi) => fi.item.id)).toEqual(['c01_p', 'c01_s', 'c02_p', 'c02_s', 'c03_p', 'c03_s', 'c04_p', 'c04_s']);
  });

  test('when a section was attempted with required answers missing, then it has errors; a section fully answered is complete', () => {
    const answers = makeAnswers(4);
    delete answers.c02_s;
    const summaries = sectionSummaries(compact, answers, new Set(['E1']));
    const state = Object.fromEntries(summaries.map((s) => [s.section.id, s.state]));
    expect(state).toMatchObject({ A: 'complete', E1: 'errors', E2: 'complete', H: 'complete' });
    expect(summaries.find((s) => s.section.id === 'E1')?.withProblems.map((fi) => fi.item.id)).toEqual(['c02_s']);
    // The free comment may stay empty: listed as unanswered, but the section is complete.
    expect(summaries.find((s) => s.section.id === 'H')?.unanswered.map((fi) => fi.item.id)).toEqual(['comment']);
  });

  test('when an answer is out of range, then its section has errors even before it was attempted', () => {
    const summaries = sectionSummaries(compact, { ...makeAnswers(4), c05_p: 7 }, new Set());
    expect(summaries.find((s) => s.section.id === 'E2')?.state).toBe('errors');
  });
});

describe('blocks of a section as its layout lays them out', () => {
  test('when a section has a grid layout, then its criteria come as rows of perception and satisfaction, in the questionnaire’s order', () => {
    const [grid, ...rest] = askedBlocks(compact, sectionOf('E1'), {});
    expect(rest).toEqual([]);
    if (grid?.kind !== 'grid') throw new Error('expected a grid');
    expect(grid.rows.map((r) => r.cells.map((c) => `${c.formItem.item.id}@${c.column}`))).toEqual([
      ['c01_p@0', 'c01_s@1'],
      ['c02_p@0', 'c02_s@1'],
      ['c03_p@0', 'c03_s@1'],
      ['c04_p@0', 'c04_s@1'],
    ]);
    expect(grid.rows[0]?.label.vi).toBe(compact.itemById.get('c01_p')?.item.label.vi);
  });

  test('when skip rules hide a grid’s items, then its rows disappear and the question before it stays a single item', () => {
    const e5 = sectionOf('E5');
    expect(askedBlocks(compact, e5, { gave_feedback: 2 }).map((b) => b.kind)).toEqual(['item']);
    const shown = askedBlocks(compact, e5, setAnswer(compact, {}, 'gave_feedback', 1));
    expect(shown.map((b) => b.kind)).toEqual(['item', 'grid']);
  });

  test('when a version has no layout, then every item is a block of its own', () => {
    const e1 = plain.definition.sections.find((s) => s.id === 'E1');
    if (!e1) throw new Error('no E1');
    expect(askedBlocks(plain, e1, {}).map((b) => b.kind)).toEqual(Array(8).fill('item'));
  });
});
