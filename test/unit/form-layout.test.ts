import path from 'node:path';
import { createFormCatalogue, loadFormCatalogue, loadIndexDefinitionCatalogue } from '../../survey-forms/catalogue';
import { compileForm, FormDefinitionError } from '../../survey-forms/form';
import type { FormDefinition, Section } from '../../survey-forms/form-definition.schema';
import { layoutProblems, sectionBlocks } from '../../survey-forms/form-layout';
import { revisionProblems } from '../../survey-forms/form-revision';
import { minDurationSecondsFor } from '../../survey-forms/modes';
import { indexDefinitionsDir, surveyFormsDir } from '../../survey-forms/paths';

const label = (vi: string) => ({ vi, en: vi });
const scale = (id: string) => ({ id, type: 'scale' as const, scale: 'sat', label: label(`statement ${id}`) });

function section(layout?: Section['layout']): Section {
  return {
    id: 'E1',
    title: label('E1'),
    items: [
      { id: 'gave', type: 'single', options: [{ code: 1, label: label('yes') }, { code: 2, label: label('no') }], label: label('gave') },
      scale('c1_p'),
      scale('c1_s'),
      scale('c2_p'),
      scale('c2_s'),
      scale('c3'),
    ],
    ...(layout ? { layout } : {}),
  };
}

function form(overrides: Partial<FormDefinition> = {}): FormDefinition {
  return {
    formId: 'tiny',
    version: '1',
    status: 'draft',
    title: label('tiny'),
    method: { decision: 'test', description: label('test') },
    scales: {
      sat: { kind: 'satisfaction', positiveCodes: [4, 5], options: [1, 2, 3, 4, 5].map((code) => ({ code, label: label(String(code)) })) },
    },
    codeLists: {},
    dimensions: { respondentType: 'gave', servingLevel: 'gave', serviceField: 'gave' },
    quality: { minDurationSeconds: 60 },
    sections: [section()],
    ...overrides,
  };
}

const pairs = { kind: 'grid' as const, columns: [label('Nhận định'), label('Hài lòng')], rows: [{ items: ['c1_p', 'c1_s'] }, { items: ['c2_p', 'c2_s'] }] };

describe('section layouts: one description for every rendering', () => {
  test('when a section has no layout, then every item is its own block, in order', () => {
    expect(sectionBlocks(section()).map((b) => (b.kind === 'item' ? b.item.id : 'grid'))).toEqual(['gave', 'c1_p', 'c1_s', 'c2_p', 'c2_s', 'c3']);
  });

  test('when rows pair items, then consecutive rows make one grid where their first item stands, labelled by the first item unless the row says', () => {
    const blocks = sectionBlocks(section({ ...pairs, rows: [pairs.rows[0]!, { label: label('Tiêu chí 2'), items: ['c2_p', 'c2_s'] }] }));
    expect(blocks.map((b) => b.kind)).toEqual(['item', 'grid', 'item']);
    const grid = blocks[1];
    if (grid?.kind !== 'grid') throw new Error('expected a grid');
    expect(grid.columns.map((c) => c.vi)).toEqual(['Nhận định', 'Hài lòng']);
    expect(grid.rows.map((r) => [r.label.vi, r.items.map((i) => i.id)])).toEqual([
      ['statement c1_p', ['c1_p', 'c1_s']],
      ['Tiêu chí 2', ['c2_p', 'c2_s']],
    ]);
  });

  test('when an item in no row stands between rows, then it splits them into two grids', () => {
    const blocks = sectionBlocks(section({ kind: 'grid', rows: [{ items: ['c1_p'] }, { items: ['c2_p'] }] }));
    expect(blocks.map((b) => (b.kind === 'item' ? b.item.id : `grid:${b.rows.map((r) => r.items[0]?.id).join('+')}`))).toEqual([
      'gave',
      'grid:c1_p',
      'c1_s',
      'grid:c2_p',
      'c2_s',
      'c3',
    ]);
  });

  test('when a layout is sound, then it has no problem', () => {
    expect(layoutProblems(section(pairs), '/sections/0')).toEqual([]);
  });

  test('when rows name unknown, non-scale, repeated, scattered or out-of-order items, then each is reported with its path', () => {
    const problems = layoutProblems(
      section({
        kind: 'grid',
        columns: [label('one')],
        rows: [{ items: ['c2_p', 'c2_s'] }, { items: ['c1_p', 'nope'] }, { items: ['gave'] }, { items: ['c1_s', 'c3'] }, { items: ['c2_s'] }],
      }),
      '/sections/0',
    );
    expect(problems.map((p) => [p.path, p.code])).toEqual([
      ['/sections/0/layout/rows/0/items', 'too_many'],
      ['/sections/0/layout/rows/1/items/1', 'unknown_item'],
      ['/sections/0/layout/rows/2/items/0', 'not_a_scale'],
      ['/sections/0/layout/rows/2/items', 'not_allowed'],
      ['/sections/0/layout/rows/3/items', 'not_allowed'],
      ['/sections/0/layout/rows/3/items', 'not_allowed'],
      ['/sections/0/layout/rows/3/items', 'too_many'],
      ['/sections/0/layout/rows/4/items/0', 'repeated'],
      ['/sections/0/layout/rows/4/items', 'not_allowed'],
    ]);
  });

  test('when a questionnaire has a broken layout, then compiling it refuses the file with the layout path', () => {
    const broken = form({ sections: [section({ kind: 'grid', rows: [{ items: ['c1_s', 'c1_p'] }, { items: ['c1_p'] }] })] });
    expect(() => compileForm(broken)).toThrow(FormDefinitionError);
    expect(() => compileForm(broken)).toThrow(/\/sections\/0\/layout\/rows\/0\/items/);
  });
});

describe('revisions: the same questionnaire presented anew', () => {
  const base = form({ status: 'published' });
  const revision = form({ version: '1.1', status: 'published', revisionOf: '1', sections: [section(pairs)], quality: { minDurationSeconds: 60, modes: { capi: { minDurationSeconds: 90 } } } });

  test('when only layouts and thresholds differ, then it is a revision', () => {
    expect(revisionProblems(base, revision)).toEqual([]);
  });

  test('when a label, an item or a skip rule differs, then it is not a revision but a new version', () => {
    const relabelled = form({ version: '1.1', revisionOf: '1', title: label('other') });
    const fewer = form({ version: '1.1', revisionOf: '1', sections: [{ ...section(), items: section().items.slice(0, 5) }] });
    expect(revisionProblems(base, relabelled).map((p) => p.code)).toEqual(['not_allowed']);
    expect(revisionProblems(base, fewer).map((p) => p.code)).toEqual(['not_allowed']);
  });

  test('when a catalogue holds a revision of a missing or different version, then it refuses to start', () => {
    expect(() => createFormCatalogue([compileForm(revision)])).toThrow(/not installed/);
    const edited = form({ version: '1.1', revisionOf: '1', codeLists: { extra: [{ code: 1, label: label('x') }] } });
    expect(() => createFormCatalogue([compileForm(base), compileForm(edited)])).toThrow(/more than section layouts/);
    expect(createFormCatalogue([compileForm(base), compileForm(revision)]).get('tiny', '1.1')?.definition.revisionOf).toBe('1');
  });

  test('when the installed questionnaires are loaded, then versions 1.1 revise version 1 and are scored by version 1 definitions', () => {
    const forms = loadFormCatalogue(surveyFormsDir());
    const definitions = loadIndexDefinitionCatalogue(indexDefinitionsDir(), forms);
    for (const formId of ['sipas-2017', 'sipas-2022']) {
      expect(forms.get(formId, '1.1')?.definition.revisionOf).toBe('1');
      expect(definitions.defaultFor(formId, '1.1')?.definition.definitionId).toBe(formId);
      expect(definitions.get(formId, '1')?.appliesTo(formId, '1.1')).toBe(true);
    }
    expect(path.basename(surveyFormsDir())).toBe('survey-forms');
  });

  test('when the 2017 method is laid out, then its 22 criteria are 22 grid rows pairing perception and satisfaction', () => {
    const form2017 = loadFormCatalogue(surveyFormsDir()).get('sipas-2017', '1.1');
    const rows = (form2017?.definition.sections ?? []).flatMap((s) => sectionBlocks(s)).flatMap((b) => (b.kind === 'grid' ? b.rows : []));
    expect(rows).toHaveLength(22);
    expect(rows.every((r) => r.items.length === 2 && r.items[0]?.id.endsWith('_p') && r.items[1]?.id.endsWith('_s'))).toBe(true);
  });
});

describe('too-fast thresholds per mode', () => {
  test('when a version names no modes, then only interviews are judged on time', () => {
    const definition = form();
    expect([minDurationSecondsFor(definition, 'capi'), minDurationSecondsFor(definition, 'papi'), minDurationSecondsFor(definition, 'cawi')]).toEqual([60, undefined, undefined]);
  });

  test('when a version names modes, then each mode has its own threshold and a mode it leaves out is not judged on time', () => {
    const definition = form({ quality: { minDurationSeconds: 240, modes: { capi: { minDurationSeconds: 240 }, cawi: { minDurationSeconds: 120 } } } });
    expect([minDurationSecondsFor(definition, 'capi'), minDurationSecondsFor(definition, 'papi'), minDurationSecondsFor(definition, 'cawi')]).toEqual([240, undefined, 120]);
  });
});
