import path from 'node:path';
import { computeRoundFigures, dimensionCodesOf, type RoundFigures } from '../../survey-forms/index-engine/round-figures';
import { surveyFormsDir } from '../../survey-forms/paths';
import { loadProvinceReference } from '../../survey-forms/provinces';
import { diffTables, explainChanges, SUMMARY_GROUP } from '../../survey-forms/release/release-changes';
import {
  canonicalJson,
  freezeTables,
  nextReleaseNumber,
  responseSetDigest,
  tableKey,
  tablesDigest,
  weightsDigest,
  type ReleaseTable,
} from '../../survey-forms/release/release-tables';
import { tallyResponses, type TalliedResponse } from '../../survey-forms/tally';
import { tinyAnswers, tinyMethod } from './tiny-method';

const provinces = loadProvinceReference(path.join(surveyFormsDir(), 'reference', 'provinces'));
const method = tinyMethod();

function figuresOf(responses: TalliedResponse[]): RoundFigures {
  return computeRoundFigures({
    definition: method.definition,
    cells: tallyResponses(method.form, method.definition, responses),
    edition: 63,
    provinces,
    unitTypesOn: '2024-08-01',
    dimensionCodes: dimensionCodesOf(method.form),
  });
}

const hanoi = { provinceCode: '01', answers: tinyAnswers({ q1: 5, q2: 4, q3: 4, gave: 2 }) };
const hanoiLow = { provinceCode: '01', answers: tinyAnswers({ q1: 1, q2: 2, q3: 2, gave: 2 }) };
const hcm = { provinceCode: '79', answers: tinyAnswers({ q1: 4, q2: 5, q3: 2, gave: 2 }) };
const find = (tables: ReadonlyArray<ReleaseTable>, key: string): ReleaseTable => {
  const table = tables.find((t) => tableKey(t) === key);
  if (!table) throw new Error(`no table ${key}`);
  return table;
};

describe('freezing a round\'s figures', () => {
  test('when figures are frozen, then every edition, indicator, estimate and grouping is one table', () => {
    const tables = freezeTables(figuresOf([hanoi, hcm]));
    // 2 editions × 6 indicators × 2 estimates (no weights) × 7 groupings.
    expect(tables).toHaveLength(2 * 6 * 2 * 7);
    expect(new Set(tables.map(tableKey)).size).toBe(tables.length);
    expect(find(tables, '63/overall/index/province').rows.find((r) => r.group === '01')).toMatchObject({ value: 100, rank: 1, previousValue: null, changePoints: null });
  });

  test('when the same responses are frozen twice, in another order, then the digest is the same; another response changes it', () => {
    const a = tablesDigest(freezeTables(figuresOf([hanoi, hcm, hanoiLow])));
    const b = tablesDigest(freezeTables(figuresOf([hanoiLow, hcm, hanoi])));
    const c = tablesDigest(freezeTables(figuresOf([hanoi, hcm])));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  test('when a previous release is given, then rows carry the change in points and places against it', () => {
    const before = freezeTables(figuresOf([hanoiLow, hcm]));
    const now = freezeTables(figuresOf([hanoi, hcm]), (key) => before.find((t) => tableKey(t) === key)?.rows);
    const row = find(now, '63/overall/index/province').rows.find((r) => r.group === '01');
    const old = find(before, '63/overall/index/province').rows.find((r) => r.group === '01');
    expect(row).toMatchObject({ previousValue: old?.value, previousRank: 2, rank: 1, changePlaces: 1 });
    expect(row?.changePoints).toBe(Math.round(((row?.value ?? 0) - (old?.value ?? 0)) * 100) / 100);
  });

  test('when digests of response sets and weights are taken, then order does not matter and content does', () => {
    expect(responseSetDigest(['b', 'a'])).toBe(responseSetDigest(['a', 'b']));
    expect(responseSetDigest(['a'])).not.toBe(responseSetDigest(['a', 'b']));
    expect(weightsDigest([['a', 2], ['b', null]])).toBe(weightsDigest([['b', 1], ['a', 2]]));
    expect(weightsDigest([['a', 2]])).not.toBe(weightsDigest([['a', 3]]));
  });

  test('when JSON is made canonical, then keys are sorted at every level and undefined is left out', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: null }], c: undefined } })).toBe('{"a":{"d":[2,{"y":null,"z":1}]},"b":1}');
  });

  test('when release numbers are given, then they count per year from 1', () => {
    expect(nextReleaseNumber(2024, [])).toBe('2024.1');
    expect(nextReleaseNumber(2024, ['2024.1', '2024.9', '2024.10', '2023.12'])).toBe('2024.11');
  });
});

describe('the change log of a correction', () => {
  test('when nothing moved, then there is no change', () => {
    const tables = freezeTables(figuresOf([hanoi, hcm]));
    expect(diffTables(tables, freezeTables(figuresOf([hcm, hanoi])))).toEqual([]);
  });

  test('when one province loses a response, then exactly its figures, its groups and the ranks that moved are listed, each old → new with its cause', () => {
    const before = freezeTables(figuresOf([hanoi, hanoiLow, hcm]));
    const after = freezeTables(figuresOf([hanoi, hcm]));
    const changes = diffTables(before, after);
    // Every listed figure really differs, and every differing figure is listed.
    const all = new Map<string, unknown>();
    for (const t of before) for (const r of t.rows) for (const [f, v] of Object.entries(r)) all.set(`${tableKey(t)}|${r.group}|${f}`, v);
    const listed = new Map(changes.map((c) => [`${c.table}|${c.group}|${c.field}`, c]));
    let moved = 0;
    for (const t of after) {
      for (const r of t.rows) {
        for (const [f, v] of Object.entries(r)) {
          if (f === 'group') continue;
          if (all.get(`${tableKey(t)}|${r.group}|${f}`) !== v) {
            moved += 1;
            expect(listed.get(`${tableKey(t)}|${r.group}|${f}`)).toEqual({ table: tableKey(t), group: r.group, field: f, before: all.get(`${tableKey(t)}|${r.group}|${f}`), after: v });
          }
        }
      }
    }
    expect(changes.filter((c) => c.group !== SUMMARY_GROUP)).toHaveLength(moved);
    expect(changes.every((c) => !c.table.includes('/province') || c.group === '01' || c.group === '79' || c.group === SUMMARY_GROUP)).toBe(true);
    expect(changes).toContainEqual({ table: '63/overall/index/province', group: '01', field: 'n', before: 2, after: 1 });

    const explained = explainChanges(changes, new Map([['01', { added: 0, removed: 1 }]]), 63, new Set(after.map(tableKey)));
    expect(explained.find((c) => c.table === '63/overall/index/province' && c.group === '01')?.cause).toEqual({ kind: 'responses', added: 0, removed: 1 });
    expect(explained.find((c) => c.table === '63/overall/index/province' && c.group === '79')?.cause).toEqual({ kind: 'ranking' });
    expect(explained.find((c) => c.table === '63/overall/index/national')?.cause).toEqual({ kind: 'provinces', provinces: ['01'] });
  });

  test('when a table is in one release only, then each of its figures is listed from or to null', () => {
    const tables = freezeTables(figuresOf([hanoi]));
    const national = find(tables, '63/overall/index/national');
    const changes = diffTables([national], []);
    expect(changes).toContainEqual({ table: '63/overall/index/national', group: 'national', field: 'value', before: 100, after: null });
  });
});
