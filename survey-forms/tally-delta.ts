/**
 * Incremental tallies. Tallies are sums, so the tally of a province after a change is its tally before
 * plus the change's delta: the responses that came into the figures minus those that left. Cells are
 * kept as the tallier's flat arrays (`StoredCell`), so a delta is added with one `$inc` per number and
 * a recompute reads them without converting. A full re-tally of the same responses gives exactly the
 * same cells: every number is an integer count or a sum on the 2⁻²⁰ grid (respondent-scores.ts).
 */
import type { CompiledForm } from './form';
import type { CompiledIndexDefinition } from './index-definition';
import { createTallier, toTally, type TalliedResponse, type TallyCell } from './tally';
import type { CellAccumulator } from './tally-cells';
import { CELL_DIMENSIONS, type CellDimension, type TallyPlan } from './tally-plan';

/** One cell of a province as stored: its dimension codes (in CELL_DIMENSIONS order, the mode last) and the tallier's arrays. */
export interface StoredCell {
  d: string[];
  n: number;
  weighted: number;
  /** Per scale item, per code slot: answers. */
  counts: number[];
  /** Per indicator, unweighted responses: n, Σscore. */
  plain: number[];
  /** Per indicator, weighted responses: n, Σs, Σw, Σws, Σw²; null while no weighted response was counted. */
  wsums: number[] | null;
}

/** A province's cells by their key. */
export type StoredCells = Record<string, StoredCell>;

/** A change to one province's tally: responses in minus responses out, and the cells' differences. */
export interface ProvinceDelta {
  responses: number;
  cells: StoredCells;
}

/** A cell's key inside its province's document: dimension codes joined, made safe as a MongoDB field name. */
export function storedCellKey(d: ReadonlyArray<string>): string {
  return d.map((code) => code.replace(/%/g, '%25').replace(/\./g, '%2E').replace(/\$/g, '%24')).join('|');
}

const dimensionsOf = (cell: { dimensions: Record<CellDimension, string> }): string[] => CELL_DIMENSIONS.map((dim) => cell.dimensions[dim]);

function storedOf(acc: CellAccumulator, sign: 1 | -1): StoredCell {
  const scale = (values: ArrayLike<number>): number[] => Array.from(values, (v) => (v === 0 ? 0 : sign * v));
  return {
    d: dimensionsOf(acc),
    n: sign * acc.n,
    weighted: sign * acc.weighted,
    counts: scale(acc.counts),
    plain: scale(acc.plain),
    wsums: acc.weightedSums ? scale(acc.weightedSums) : null,
  };
}

/** Adds `delta` into `into` (mutates and returns `into`); cells missing from `into` are opened. */
export function addStoredCells(into: StoredCells, delta: StoredCells): StoredCells {
  for (const [key, cell] of Object.entries(delta)) {
    const target = (into[key] ??= { d: [...cell.d], n: 0, weighted: 0, counts: cell.counts.map(() => 0), plain: cell.plain.map(() => 0), wsums: null });
    target.n += cell.n;
    target.weighted += cell.weighted;
    cell.counts.forEach((v, i) => (target.counts[i] = (target.counts[i] as number) + v));
    cell.plain.forEach((v, i) => (target.plain[i] = (target.plain[i] as number) + v));
    if (cell.wsums) {
      const sums = (target.wsums ??= cell.wsums.map(() => 0));
      cell.wsums.forEach((v, i) => (sums[i] = (sums[i] as number) + v));
    }
  }
  return into;
}

/** The cells of a full tally, per province, as stored. */
export function storedCellsOf(accumulators: Iterable<CellAccumulator>): Map<string, StoredCells> {
  const byProvince = new Map<string, StoredCells>();
  for (const acc of accumulators) {
    const cells = byProvince.get(acc.provinceCode) ?? {};
    cells[storedCellKey(dimensionsOf(acc))] = storedOf(acc, 1);
    byProvince.set(acc.provinceCode, cells);
  }
  return byProvince;
}

/**
 * The delta of a change, per province: `add` are responses that now count in the figures (checked
 * clear, approved), `remove` those that no longer do (rejected, returned). Provinces whose delta is
 * nothing are left out.
 */
export function tallyDelta(
  form: CompiledForm,
  definition: CompiledIndexDefinition,
  change: { add: Iterable<TalliedResponse>; remove: Iterable<TalliedResponse> },
): Map<string, ProvinceDelta> {
  const deltas = new Map<string, ProvinceDelta>();
  const fold = (responses: Iterable<TalliedResponse>, sign: 1 | -1): void => {
    const tallier = createTallier(form, definition);
    for (const response of responses) tallier.add(response);
    for (const acc of tallier.accumulators()) {
      const delta = deltas.get(acc.provinceCode) ?? { responses: 0, cells: {} };
      delta.responses += sign * acc.n;
      addStoredCells(delta.cells, { [storedCellKey(dimensionsOf(acc))]: storedOf(acc, sign) });
      deltas.set(acc.provinceCode, delta);
    }
  };
  fold(change.add, 1);
  fold(change.remove, -1);
  for (const [province, delta] of deltas) if (isEmptyDelta(delta)) deltas.delete(province);
  return deltas;
}

/** Whether a delta changes nothing (a response added and removed again). */
export function isEmptyDelta(delta: ProvinceDelta): boolean {
  if (delta.responses !== 0) return false;
  return Object.values(delta.cells).every(
    (c) => c.n === 0 && c.weighted === 0 && c.counts.every((v) => v === 0) && c.plain.every((v) => v === 0) && (c.wsums ?? []).every((v) => v === 0),
  );
}

/**
 * A delta as increments of a stored document's fields, under `prefix` (e.g. `cells.`): only the
 * numbers that change. `open` lists the cells the increments assume exist (with zero arrays of the
 * plan's sizes), and whether their weighted sums must exist too.
 */
export function deltaIncrements(
  plan: TallyPlan,
  delta: StoredCells,
  prefix: string,
): { inc: Record<string, number>; open: Array<{ key: string; cell: StoredCell; weighted: boolean }> } {
  const inc: Record<string, number> = {};
  const open: Array<{ key: string; cell: StoredCell; weighted: boolean }> = [];
  for (const [key, cell] of Object.entries(delta)) {
    const at = `${prefix}${key}.`;
    if (cell.n !== 0) inc[`${at}n`] = cell.n;
    if (cell.weighted !== 0) inc[`${at}weighted`] = cell.weighted;
    cell.counts.forEach((v, i) => v !== 0 && (inc[`${at}counts.${i}`] = v));
    cell.plain.forEach((v, i) => v !== 0 && (inc[`${at}plain.${i}`] = v));
    cell.wsums?.forEach((v, i) => v !== 0 && (inc[`${at}wsums.${i}`] = v));
    open.push({ key, cell: emptyStoredCell(plan, cell.d), weighted: cell.wsums !== null });
  }
  return { inc, open };
}

/** A cell with nothing counted, in the plan's sizes. */
export function emptyStoredCell(plan: TallyPlan, d: ReadonlyArray<string>): StoredCell {
  return {
    d: [...d],
    n: 0,
    weighted: 0,
    counts: new Array<number>(plan.itemIds.length * plan.slots).fill(0),
    plain: new Array<number>(plan.indicatorIds.length * 2).fill(0),
    wsums: null,
  };
}

/** Zero weighted sums of a cell, in the plan's size. */
export const emptyWeightedSums = (plan: TallyPlan): number[] => new Array<number>(plan.indicatorIds.length * 5).fill(0);

/**
 * A province's stored cells as the index engine takes them, sorted by key like a tallier's. Cells
 * whose responses have all left (n = 0) are dropped: a full re-tally would not have them either.
 */
export function tallyCellsOfStored(plan: TallyPlan, provinceCode: string, cells: StoredCells): TallyCell[] {
  return Object.values(cells)
    .filter((cell) => cell.n !== 0)
    .map((cell) => {
      const dimensions = Object.fromEntries(CELL_DIMENSIONS.map((dim, i) => [dim, cell.d[i] ?? ''])) as Record<CellDimension, string>;
      return { provinceCode, dimensions, tally: toTally(plan, { ...cell, weightedSums: cell.wsums }) };
    })
    .sort((a, b) => {
      const ka = [a.provinceCode, ...dimensionsOf(a)].join('|');
      const kb = [b.provinceCode, ...dimensionsOf(b)].join('|');
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
}
