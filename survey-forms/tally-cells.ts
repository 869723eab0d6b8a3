import { CELL_DIMENSIONS, SMALL_CODES, type CellDimension, type TallyPlan } from './tally-plan';

/** What a tallier keeps per cell while responses arrive: flat arrays, turned into a `Tally` at the end. */
export interface CellAccumulator {
  /** Province and dimensions joined: what cells are sorted by. */
  key: string;
  provinceCode: string;
  dimensions: Record<CellDimension, string>;
  n: number;
  weighted: number;
  /** Per scale item, per code slot: count. */
  counts: Int32Array;
  /** Per indicator, over unweighted responses: n, Σs. */
  plain: Float64Array;
  /** Per indicator, over responses with a weight: n, Σs, Σw, Σws, Σw². Kept apart so the common unweighted case adds two numbers, not five. */
  weightedSums: Float64Array | null;
}

/** A cell's sort key: province and dimension codes joined. */
export function cellKey(provinceCode: string, dimensions: Record<CellDimension, string>): string {
  return [provinceCode, ...CELL_DIMENSIONS.map((d) => dimensions[d])].join('|');
}

/** Answers to choice and scale items are numbers or strings; anything else was refused on entry. */
function codeOf(value: unknown): string {
  return typeof value === 'number' || typeof value === 'string' ? String(value) : '';
}

/** Finds (or opens) the cell of a response (its province, answers and mode); `all` lists the cells in the order they were opened. */
export interface CellIndex {
  cellFor(provinceCode: string, answers: Readonly<Record<string, unknown>>, mode: string): CellAccumulator;
  all: CellAccumulator[];
}

export function createCellIndex(plan: TallyPlan): CellIndex {
  // Data-driven: one level of the tree per dimension item, so a new dimension is one more entry in DIMENSIONS;
  // the mode, not an answer, is the last level.
  const items = plan.dimensionItems;
  const countSize = plan.itemIds.length * plan.slots;
  const indicatorCount = plan.indicatorIds.length;
  // province → first dimension → … → last dimension → mode → cell, keyed by the raw answers: no string is built per response.
  const tree = new Map<string, Map<unknown, unknown>>();
  const all: CellAccumulator[] = [];

  const cellFor = (provinceCode: string, answers: Readonly<Record<string, unknown>>, mode: string): CellAccumulator => {
    let node = tree.get(provinceCode);
    if (!node) tree.set(provinceCode, (node = new Map<unknown, unknown>()));
    for (let i = 0; i < items.length; i += 1) {
      const value = answers[items[i] as string] ?? '';
      let next = node.get(value) as Map<unknown, unknown> | undefined;
      if (!next) node.set(value, (next = new Map<unknown, unknown>()));
      node = next;
    }
    let cell = node.get(mode) as CellAccumulator | undefined;
    if (!cell) {
      const dimensions = Object.fromEntries(
        CELL_DIMENSIONS.map((d, i) => [d, d === 'mode' ? mode : codeOf(answers[items[i] as string] ?? '')]),
      ) as Record<CellDimension, string>;
      cell = {
        key: cellKey(provinceCode, dimensions),
        provinceCode,
        dimensions,
        n: 0,
        weighted: 0,
        counts: new Int32Array(countSize),
        plain: new Float64Array(indicatorCount * 2),
        weightedSums: null,
      };
      node.set(mode, cell);
      all.push(cell);
    }
    return cell;
  };
  return { cellFor, all };
}

/**
 * What counts a response's answers: each scale item's answer into its cell, and, per criterion, its
 * valid and satisfied answers into `valid` and `satisfied` (zeroed first, shared with the scorer).
 * A closure over the plan's arrays, as the hot path reads them for every response.
 */
export function answerCounter(plan: TallyPlan, valid: Float64Array, satisfied: Float64Array): (cell: CellAccumulator, answers: Readonly<Record<string, unknown>>) => void {
  const { itemIds, slots, slotOfSmall, slotOfOther, criterionOfItem, outcome } = plan;
  const itemCount = itemIds.length;
  // A local copy: run through tsx (the bench, dev), an imported constant is read through a getter, in the hottest loop.
  const small = SMALL_CODES;
  return (cell, answers) => {
    valid.fill(0);
    satisfied.fill(0);
    const counts = cell.counts;
    for (let i = 0; i < itemCount; i += 1) {
      const value = answers[itemIds[i] as string];
      if (value === undefined || value === null) continue;
      const slot =
        typeof value === 'number' && (value | 0) === value && value >= 0 && value < small
          ? (slotOfSmall[i * small + value] as number)
          : ((slotOfOther[i] as Map<unknown, number>).get(value) ?? -1);
      if (slot < 0) continue;
      const at = i * slots + slot;
      counts[at] = (counts[at] as number) + 1;
      const c = criterionOfItem[i] as number;
      if (c < 0) continue;
      const o = outcome[at] as number;
      if (o >= 0) {
        valid[c] = (valid[c] as number) + 1;
        satisfied[c] = (satisfied[c] as number) + o;
      }
    }
  };
}
