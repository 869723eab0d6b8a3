import path from 'node:path';
import { computeRoundFigures, dimensionCodesOf } from '../../survey-forms/index-engine/round-figures';
import { surveyFormsDir } from '../../survey-forms/paths';
import { loadProvinceReference } from '../../survey-forms/provinces';
import { createRandom } from '../../survey-forms/synthetic-answers';
import { createTallier, tallyResponses, type TalliedResponse, type TallyCell } from '../../survey-forms/tally';
import { addStoredCells, deltaIncrements, isEmptyDelta, storedCellKey, storedCellsOf, tallyCellsOfStored, tallyDelta, type StoredCells } from '../../survey-forms/tally-delta';
import { tallyLayoutOf, tallyPlanOf } from '../../survey-forms/tally-plan';
import { tinyMethod } from './tiny-method';

const provinces = loadProvinceReference(path.join(surveyFormsDir(), 'reference', 'provinces'));
const method = tinyMethod({ e1: 3, e2: 1 });
const plan = tallyPlanOf(method.form, method.definition);

function figuresText(cells: TallyCell[]): string {
  return JSON.stringify(
    computeRoundFigures({ definition: method.definition, cells, edition: 63, provinces, unitTypesOn: '2024-08-01', dimensionCodes: dimensionCodesOf(method.form) }),
  );
}

/** Responses of the tiny questionnaire, of every mode (or none: an interview); a third weighted with awkward (non-binary) design weights. */
function responsesOf(count: number, seed: number): TalliedResponse[] {
  const random = createRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const scale = [1, 2, 3, 4, 5, 9];
  return Array.from({ length: count }, () => {
    const gave = pick([1, 2]);
    const weight = random() < 0.33 ? 1 + Math.round(random() * 997_000) / 1000 : undefined;
    const mode = pick([undefined, 'capi', 'papi', 'cawi'] as const);
    return {
      ...(mode !== undefined ? { mode } : {}),
      provinceCode: pick(['01', '02', '08', '79']),
      answers: { kind: pick([1, 2]), level: pick([1, 2, 3]), field: pick([1, 2]), q1: pick(scale), q2: pick(scale), q3: pick(scale), gave, ...(gave === 1 ? { q4: pick(scale) } : {}) },
      ...(weight !== undefined ? { weight } : {}),
    };
  });
}

/** Every province's cells as the engine takes them, from stored cells. */
const engineCellsOf = (stored: Map<string, StoredCells>): TallyCell[] =>
  [...stored.entries()].sort(([a], [b]) => a.localeCompare(b)).flatMap(([province, cells]) => tallyCellsOfStored(plan, province, cells));

describe('incremental tallies', () => {
  test('when thousands of responses are added and removed in random order, then the incremental cells equal a full re-tally of what remains', () => {
    const random = createRandom(99);
    const all = responsesOf(3000, 5);
    const counted = new Set<number>();
    const state = new Map<string, StoredCells>();
    const apply = (add: number[], remove: number[]): void => {
      const deltas = tallyDelta(method.form, method.definition, { add: add.map((i) => all[i] as TalliedResponse), remove: remove.map((i) => all[i] as TalliedResponse) });
      for (const [province, delta] of deltas) state.set(province, addStoredCells(state.get(province) ?? {}, delta.cells));
    };
    let added = 0;
    let removed = 0;
    for (let step = 0; step < 500; step += 1) {
      // Batches of up to 20 come in (checked clear, approved); single responses leave (rejected) and come back (approved again).
      const add = Array.from({ length: Math.floor(random() * 30) }, () => Math.floor(random() * all.length)).filter((i) => !counted.has(i));
      const unique = [...new Set(add)];
      const remove = [...counted].filter(() => random() < 0.004);
      unique.forEach((i) => counted.add(i));
      remove.forEach((i) => counted.delete(i));
      apply(unique, remove);
      added += unique.length;
      removed += remove.length;
    }
    expect(added).toBeGreaterThan(3000);
    expect(removed).toBeGreaterThan(1000);
    expect(counted.size).toBeGreaterThan(1000);
    const tallier = createTallier(method.form, method.definition);
    for (const i of [...counted].sort((a, b) => b - a)) tallier.add(all[i] as TalliedResponse);
    const full = storedCellsOf(tallier.accumulators());
    expect(engineCellsOf(state)).toEqual(engineCellsOf(full));
    expect(engineCellsOf(full)).toEqual(tallier.cells());
    expect(figuresText(engineCellsOf(state))).toBe(figuresText(tallier.cells()));
    // Cells are split by mode too (a response without one is an interview), and by=mode rows come from them.
    expect(new Set(tallier.cells().map((c) => c.dimensions.mode))).toEqual(new Set(['capi', 'papi', 'cawi']));
    const figures = computeRoundFigures({ definition: method.definition, cells: engineCellsOf(state), edition: 63, provinces, unitTypesOn: '2024-08-01', dimensionCodes: dimensionCodesOf(method.form) });
    const byMode = figures.editions[0]!.indicators.overall!.estimates.pooled.groupings.mode;
    const remaining = [...counted].map((i) => all[i] as TalliedResponse);
    expect(byMode.map((r) => r.group)).toEqual(['capi', 'papi', 'cawi']);
    for (const row of byMode) {
      // Each mode's pooled figure is that of a tally of its responses alone.
      const own = computeRoundFigures({
        definition: method.definition,
        cells: tallyResponses(method.form, method.definition, remaining.filter((r) => (r.mode ?? 'capi') === row.group)),
        edition: 63,
        provinces,
        unitTypesOn: '2024-08-01',
        dimensionCodes: dimensionCodesOf(method.form),
      });
      expect(row).toEqual({ ...own.editions[0]!.indicators.overall!.estimates.pooled.groupings.national[0]!, group: row.group, rank: row.rank });
    }
  });

  test('when a response is added and removed in the same change, then its delta is empty', () => {
    const [one] = responsesOf(1, 3) as [TalliedResponse];
    const deltas = tallyDelta(method.form, method.definition, { add: [one], remove: [one] });
    expect(deltas.size).toBe(0);
  });

  test('when a delta becomes increments, then only changed numbers are named, under cell keys safe for MongoDB', () => {
    const response: TalliedResponse = { provinceCode: '01', answers: { kind: 1, level: 2, field: 1, q1: 5, q2: 9, q3: 1, gave: 2 } };
    const [[, delta]] = [...tallyDelta(method.form, method.definition, { add: [response], remove: [] })] as [[string, { responses: number; cells: StoredCells }]];
    expect(isEmptyDelta(delta)).toBe(false);
    expect(delta.responses).toBe(1);
    const { inc, open } = deltaIncrements(plan, delta.cells, 'cells.');
    expect(open.map((o) => o.key)).toEqual(['1|2|1|capi']);
    expect(inc['cells.1|2|1|capi.n']).toBe(1);
    expect(Object.values(inc).every((v) => v !== 0)).toBe(true);
    expect(storedCellKey(['a.b', '$x', '5%'])).toBe('a%2Eb|%24x|5%25');
  });

  test('when the plan is the same, then its layout fingerprint is the same; another definition gives another', () => {
    expect(tallyLayoutOf(plan)).toBe(tallyLayoutOf(tallyPlanOf(method.form, method.definition)));
    const other = tinyMethod({ e1: 1, e2: 1 });
    expect(tallyLayoutOf(tallyPlanOf(other.form, other.definition))).toMatch(/^[0-9a-f]{16}$/);
  });
});
