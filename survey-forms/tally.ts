import type { CompiledForm } from './form';
import type { CompiledIndexDefinition } from './index-definition';
import { modeOf, type ResponseMode } from './modes';
import { respondentScorer } from './respondent-scores';
import { answerCounter, cellKey, createCellIndex, type CellAccumulator } from './tally-cells';
import { tallyPlanOf, type CellDimension, type TallyPlan } from './tally-plan';

/**
 * Sums over respondents of their score on one indicator of an index definition. A respondent's score
 * is in [0, 1]: for a criterion the share of their valid answers that are satisfied, for a composite
 * the mean (or weighted mean) of their scores on its children that have one. Respondents without a
 * score (every answer "not applicable" or skipped) are not counted.
 */
export interface ScoreSums {
  /** Respondents with a score. */
  n: number;
  /** Σ score. Each score is rounded to a multiple of 2⁻²⁰ first, so sums are exact and order-free. */
  sum: number;
  /** Σ weight (equals n when responses carry no weights). */
  w: number;
  /** Σ weight × score. */
  ws: number;
  /** Σ weight², for Kish's effective sample size. */
  w2: number;
}

/**
 * Counts of answers and sums of scores, the unit every index figure is computed from. Tallies add
 * up: the tally of a province is the sum of its cells' tallies, and a merged province's the sum of
 * its old units'.
 */
export interface Tally {
  /** Responses counted. */
  n: number;
  /** Of those, responses that carried a weight. */
  weighted: number;
  /** For each scale item, how many responses gave each code ("not applicable" included). */
  answers: Record<string, Record<string, number>>;
  /** For each indicator of the index definition with at least one scored respondent, its score sums. */
  scores: Record<string, ScoreSums>;
}

/** A cell: responses of one province with one respondent type, serving level and service field, collected in one mode. */
export interface TallyCell {
  provinceCode: string;
  /** The dimension answers as strings ('' where the questionnaire did not ask the item), and the mode. */
  dimensions: Record<CellDimension, string>;
  tally: Tally;
}

/** What a tally needs from a stored response. */
export interface TalliedResponse {
  provinceCode: string;
  answers: Readonly<Record<string, unknown>>;
  /** Design weight carried by the response; absent means 1 (and the response is unweighted). */
  weight?: number | null;
  /** How it was collected; absent means an interview on the device (`capi`). */
  mode?: ResponseMode | null;
}

export function emptyTally(): Tally {
  return { n: 0, weighted: 0, answers: {}, scores: {} };
}

/** Adds `from` into `into` (mutates `into`). */
export function addTally(into: Tally, from: Tally): Tally {
  into.n += from.n;
  into.weighted += from.weighted;
  for (const [itemId, codes] of Object.entries(from.answers)) {
    const target = (into.answers[itemId] ??= {});
    for (const [code, count] of Object.entries(codes)) target[code] = (target[code] ?? 0) + count;
  }
  for (const [indicatorId, sums] of Object.entries(from.scores)) {
    const target = (into.scores[indicatorId] ??= { n: 0, sum: 0, w: 0, ws: 0, w2: 0 });
    target.n += sums.n;
    target.sum += sums.sum;
    target.w += sums.w;
    target.ws += sums.ws;
    target.w2 += sums.w2;
  }
  return into;
}

/** The sum of many tallies. */
export function sumTallies(tallies: Iterable<Tally>): Tally {
  const total = emptyTally();
  for (const t of tallies) addTally(total, t);
  return total;
}

/** Adds responses one at a time, so a cursor of any length can be tallied in flat memory. */
export interface Tallier {
  add(response: TalliedResponse): void;
  /** The cells so far, sorted by key: the same responses in any order give the same cells. */
  cells(): TallyCell[];
  /** The cells so far as their flat arrays, in the order they were opened (what incremental tallies store). */
  accumulators(): ReadonlyArray<CellAccumulator>;
}

/**
 * Tallies responses into cells (province × respondent type × serving level × service field × mode). Counts
 * every scale item's answers, and scores each respondent on every indicator of the definition.
 * Written for speed: one pass, flat typed arrays (tally-plan.ts, tally-cells.ts), no allocation per answer.
 */
export function createTallier(form: CompiledForm, definition: CompiledIndexDefinition): Tallier {
  const plan = tallyPlanOf(form, definition);
  const index = createCellIndex(plan);
  // Per criterion, the response's valid and satisfied answers: filled by the counter, read by the scorer.
  const valid = new Float64Array(plan.criterionCount);
  const satisfied = new Float64Array(plan.criterionCount);
  const countAnswers = answerCounter(plan, valid, satisfied);
  const addScores = respondentScorer(plan, valid, satisfied);
  return {
    add(response) {
      const cell = index.cellFor(response.provinceCode, response.answers, modeOf(response));
      const weight = typeof response.weight === 'number' ? response.weight : null;
      cell.n += 1;
      if (weight !== null) cell.weighted += 1;
      countAnswers(cell, response.answers);
      addScores(cell, weight);
    },
    cells() {
      return [...index.all]
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
        .map((cell) => ({ provinceCode: cell.provinceCode, dimensions: cell.dimensions, tally: toTally(plan, cell) }));
    },
    accumulators: () => index.all,
  };
}

/** What `toTally` reads of a cell: its counts and arrays, typed or stored as plain arrays. */
export interface CellArrays {
  n: number;
  weighted: number;
  counts: ArrayLike<number>;
  plain: ArrayLike<number>;
  weightedSums: ArrayLike<number> | null;
}

/** A cell's accumulated arrays as a tally. */
export function toTally(plan: TallyPlan, cell: CellArrays): Tally {
  const { itemIds, slots, codeKeys, indicatorIds } = plan;
  const answers: Tally['answers'] = {};
  for (let i = 0; i < itemIds.length; i += 1) {
    let counted: Record<string | number, number> | undefined;
    const keys = codeKeys[i] as Array<string | number>;
    for (let slot = 0; slot < keys.length; slot += 1) {
      const count = cell.counts[i * slots + slot] as number;
      if (count > 0) (counted ??= {})[keys[slot] as string | number] = count;
    }
    if (counted) answers[itemIds[i] as string] = counted;
  }
  const scores: Tally['scores'] = {};
  const plain = cell.plain;
  const weighted = cell.weightedSums;
  for (let k = 0; k < indicatorIds.length; k += 1) {
    // An unweighted response has weight 1: it adds 1 to Σw and Σw², and its score to Σws.
    const plainN = plain[2 * k] as number;
    const plainSum = plain[2 * k + 1] as number;
    const n = plainN + (weighted ? (weighted[5 * k] as number) : 0);
    if (n === 0) continue;
    scores[indicatorIds[k] as string] = {
      n,
      sum: plainSum + (weighted ? (weighted[5 * k + 1] as number) : 0),
      w: plainN + (weighted ? (weighted[5 * k + 2] as number) : 0),
      ws: plainSum + (weighted ? (weighted[5 * k + 3] as number) : 0),
      w2: plainN + (weighted ? (weighted[5 * k + 4] as number) : 0),
    };
  }
  return { n: cell.n, weighted: cell.weighted, answers, scores };
}

/** Tallies a whole collection of responses at once. */
export function tallyResponses(form: CompiledForm, definition: CompiledIndexDefinition, responses: Iterable<TalliedResponse>): TallyCell[] {
  const tallier = createTallier(form, definition);
  for (const response of responses) tallier.add(response);
  return tallier.cells();
}

/** Adds cells with the same province and dimensions together; the result is sorted like a tallier's. */
export function mergeCells(cells: Iterable<TallyCell>): TallyCell[] {
  const byKey = new Map<string, TallyCell>();
  for (const cell of cells) {
    const key = cellKey(cell.provinceCode, cell.dimensions);
    const found = byKey.get(key);
    if (found) addTally(found.tally, cell.tally);
    else byKey.set(key, { provinceCode: cell.provinceCode, dimensions: { ...cell.dimensions }, tally: addTally(emptyTally(), cell.tally) });
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, cell]) => cell);
}
