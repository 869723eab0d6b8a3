import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createIndexDefinitionCatalogue, loadFormCatalogue, loadIndexDefinitionCatalogue } from '../../survey-forms/catalogue';
import { compileIndexDefinition, IndexDefinitionError } from '../../survey-forms/index-definition';
import { indexDefinitionsDir, surveyFormsDir } from '../../survey-forms/paths';
import { tinyIndexDefinition, tinyMethod } from './tiny-method';

const { form } = tinyMethod();
const findForm = (formId: string, version: string) => (formId === 'tiny' && version === '1' ? form : undefined);

function problemsOf(raw: unknown): Array<{ path: string; message: string }> {
  try {
    compileIndexDefinition(raw, findForm, 'tiny-index.json');
  } catch (error) {
    if (error instanceof IndexDefinitionError) return error.problems.map(({ path: at, message }) => ({ path: at, message }));
    throw error;
  }
  return [];
}

describe('index definitions', () => {
  const forms = loadFormCatalogue(surveyFormsDir());
  const definitions = loadIndexDefinitionCatalogue(indexDefinitionsDir(), forms);

  test('when the installed definitions are loaded, then both methods are there and score their questionnaires', () => {
    expect(definitions.list().map((d) => [d.definition.definitionId, d.definition.version, d.definition.status])).toEqual([
      ['sipas-2017', '1', 'published'],
      ['sipas-2022', '1', 'published'],
    ]);
    expect(definitions.defaultFor('sipas-2017', '1')?.definition.definitionId).toBe('sipas-2017');
    expect(definitions.defaultFor('sipas-2022', '1')?.definition.definitionId).toBe('sipas-2022');
    expect(definitions.defaultFor('sipas-2017', '9')).toBeUndefined();
  });

  test('when the 2017 method is read, then it has 22 criteria in 5 elements (4, 5, 6, 3, 4) and the overall mean of elements', () => {
    const sipas2017 = definitions.get('sipas-2017', '1');
    const byLevel = (level: string) => sipas2017?.indicators.filter((i) => i.level === level) ?? [];
    expect(byLevel('criterion')).toHaveLength(22);
    expect(byLevel('element').map((e) => e.children.length)).toEqual([4, 5, 6, 3, 4]);
    expect(sipas2017?.indicatorById.get('c19')?.label.vi).toBe('Cơ quan có bố trí hình thức tiếp nhận góp ý, phản ánh, kiến nghị');
    expect(sipas2017?.items.map((i) => i.id)).toEqual(Array.from({ length: 22 }, (_, i) => `c${String(i + 1).padStart(2, '0')}_s`));
    expect(sipas2017?.definition.indicators.at(-1)).toMatchObject({ id: 'overall', children: ['e1', 'e2', 'e3', 'e4', 'e5'], combine: { method: 'mean' } });
  });

  test('when the 2022– method is read, then policy has 9 groups, services the 5 elements of items 15–33, and the overall weighs them', () => {
    const sipas2022 = definitions.get('sipas-2022', '1');
    const indicator = (id: string) => sipas2022?.definition.indicators.find((i) => i.id === id);
    expect(indicator('policy')).toMatchObject({ level: 'component', children: ['g01', 'g02', 'g03', 'g04', 'g05', 'g06', 'g07', 'g08', 'g09'] });
    expect(indicator('services')).toMatchObject({ level: 'component', children: ['access', 'procedures', 'civil-servants', 'results', 'feedback'] });
    const services = ['access', 'procedures', 'civil-servants', 'results', 'feedback'].flatMap((id) => {
      const element = indicator(id);
      return element && 'children' in element ? element.children : [];
    });
    expect(services).toEqual(Array.from({ length: 19 }, (_, i) => `c${i + 15}`));
    expect(indicator('overall')).toMatchObject({ combine: { method: 'weighted', weights: { policy: 0.6, services: 0.4 } } });
    // The provisional weights reproduce SIPAS 2024: policy 83.84 and services 84.09 give 83.94.
    expect(Math.round((0.6 * 83.84 + 0.4 * 84.09) * 100) / 100).toBe(83.94);
  });

  test('when a definition is well formed, then it compiles with children before parents', () => {
    const compiled = compileIndexDefinition(tinyIndexDefinition(), findForm);
    expect(compiled.indicators.map((i) => i.id)).toEqual(['c1', 'c2', 'c3', 'e1', 'e2', 'overall']);
    expect(compiled.indicatorById.get('e1')?.children).toEqual([0, 1]);
    expect(compiled.appliesTo('tiny', '1')).toBe(true);
    expect(compiled.appliesTo('tiny', '2')).toBe(false);
  });

  test('when a definition has several mistakes, then every one is reported with its path', () => {
    const definition = tinyIndexDefinition();
    definition.appliesTo[0]!.versions.push('7');
    definition.scoring.satisfiedCodes = [4, 5, 6];
    const label = { vi: 'x', en: 'x' };
    definition.indicators = [
      { id: 'c1', level: 'criterion', label, items: ['q1'] },
      { id: 'c2', level: 'criterion', label, items: ['q2', 'q1'] },
      { id: 'c3', level: 'criterion', label, items: ['p9'] },
      { id: 'e1', level: 'element', label, children: ['c1', 'c2', 'e2'], combine: { method: 'mean' } },
      { id: 'e2', level: 'element', label, children: ['c3'], combine: { method: 'weighted', weights: { c3: 1, cx: 2 } } },
      { id: 'overall', level: 'overall', label, children: ['e1'], combine: { method: 'mean' } },
      { id: 'c1', level: 'criterion', label, items: ['q1'] },
      { id: 'lonely', level: 'criterion', label, items: ['p1'], scoring: { validCodes: [0, 1, 2, 3, 4, 5], satisfiedCodes: [5] } },
    ];
    expect(problemsOf(definition)).toEqual([
      { path: '/appliesTo/0/versions/1', message: 'questionnaire tiny version 7 is not installed' },
      { path: '/scoring/satisfiedCodes', message: 'codes 6 count as satisfied but are not valid codes' },
      { path: '/indicators/6/id', message: 'indicator id c1 is used twice' },
      { path: '/indicators/3/children/2', message: 'e2 is an element; an element combines lower levels only' },
      { path: '/indicators/4/combine/weights/cx', message: 'cx is not a child of e2' },
      { path: '/indicators/7', message: 'lonely is not a child of any indicator, so it counts nowhere' },
      { path: '/indicators/1/items/1', message: 'item q1 already counts in criterion c1' },
      { path: '/indicators/2/items/0', message: 'p9 is not an item of tiny version 1' },
      { path: '/indicators/6/items/0', message: 'item q1 already counts in criterion c2' },
      { path: '/indicators/7/items/0', message: "valid codes 0 are not options of p1's scale in tiny version 1" },
    ]);
  });

  test('when a definition has no overall index or scores a non-scale item, then it says so', () => {
    const definition = tinyIndexDefinition();
    definition.indicators = definition.indicators.filter((i) => i.level !== 'overall');
    definition.indicators.push({ id: 'c4', level: 'criterion', label: { vi: 'c4', en: 'c4' }, items: ['gave'] });
    const problems = problemsOf(definition);
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: '/indicators', message: 'must have exactly one indicator of level overall (found 0)' },
        { path: '/indicators/5/items/0', message: 'gave is not a scale item in tiny version 1' },
      ]),
    );
  });

  test('when a definition breaks the file format, then the shape errors carry paths', () => {
    const definition = tinyIndexDefinition() as unknown as Record<string, unknown>;
    delete definition.reliability;
    definition.version = 'one';
    (definition.indicators as Array<Record<string, unknown>>)[0]!.id = 'C 1';
    expect(problemsOf(definition)).toEqual(
      expect.arrayContaining([
        { path: '/reliability', message: 'is required' },
        { path: '/version', message: 'must match the pattern ^[0-9]+(\\.[0-9]+){0,2}$' },
      ]),
    );
  });

  test('when a definition file names another id than its folder, or two files share a version, then loading fails', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'definitions-'));
    try {
      mkdirSync(path.join(dir, 'other'));
      writeFileSync(path.join(dir, 'other', '1.json'), JSON.stringify({ ...tinyIndexDefinition(), appliesTo: [{ formId: 'sipas-2017', versions: ['1'] }], indicators: [] }));
      expect(() => loadIndexDefinitionCatalogue(dir, forms)).toThrow(/other\/1\.json is invalid:\n {2}\/indicators: must have at least 1 entries/);
      const compiled = compileIndexDefinition(tinyIndexDefinition(), findForm);
      expect(() => createIndexDefinitionCatalogue([compiled, compiled])).toThrow('index definition tiny@1 is defined twice');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
