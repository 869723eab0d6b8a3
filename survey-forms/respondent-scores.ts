import type { CellAccumulator } from './tally-cells';
import type { TallyPlan } from './tally-plan';

/** Scores are kept on a grid of 2⁻²⁰: sums of up to 2³³ of them are exact in a double, in any order. */
const SCORE_GRID = 1_048_576;

const onGrid = (x: number): number => Math.round(x * SCORE_GRID) / SCORE_GRID;

/**
 * What scores one respondent on every indicator and adds each score to the cell's sums. Criteria: the
 * share of satisfied among valid answers to their items (read from `valid` and `satisfied`, which the
 * answer counter fills); then composites, the (weighted) mean of their children that have a score. A
 * respondent without a score on an indicator is not counted in it. The weight is the response's
 * design weight, or null for an unweighted response. A closure over the plan's arrays, as the hot
 * path reads them for every response.
 */
export function respondentScorer(plan: TallyPlan, valid: Float64Array, satisfied: Float64Array): (cell: CellAccumulator, weight: number | null) => void {
  const { criterionCount, children, weights } = plan;
  const indicatorCount = plan.indicatorIds.length;
  const score = new Float64Array(indicatorCount);
  return (cell, weight) => {
    const plain = weight === null ? cell.plain : null;
    const sums = weight === null ? null : (cell.weightedSums ??= new Float64Array(indicatorCount * 5));
    const w = weight ?? 1;
    for (let k = 0; k < indicatorCount; k += 1) {
      let value: number;
      if (k < criterionCount) {
        const v = valid[k] as number;
        if (v === 0) {
          score[k] = NaN;
          continue;
        }
        // One valid answer scores 0 or 1, already on the grid.
        value = v === 1 ? (satisfied[k] as number) : Math.round(((satisfied[k] as number) / v) * SCORE_GRID) / SCORE_GRID;
      } else {
        const kids = children[k] as Int32Array;
        const kidWeights = weights[k] as Float64Array;
        let total = 0;
        let weightSum = 0;
        for (let j = 0; j < kids.length; j += 1) {
          const v = score[kids[j] as number] as number;
          if (v === v) {
            const kw = kidWeights[j] as number;
            total += kw * v;
            weightSum += kw;
          }
        }
        if (weightSum === 0) {
          score[k] = NaN;
          continue;
        }
        value = Math.round((total / weightSum) * SCORE_GRID) / SCORE_GRID;
      }
      score[k] = value;
      if (plain !== null) {
        plain[2 * k] = (plain[2 * k] as number) + 1;
        plain[2 * k + 1] = (plain[2 * k + 1] as number) + value;
      } else if (sums !== null) {
        const base = k * 5;
        sums[base] = (sums[base] as number) + 1;
        sums[base + 1] = (sums[base + 1] as number) + value;
        // On the grid too, so adding a response and removing it again (incremental tallies) leaves the sums exactly as they were.
        sums[base + 2] = (sums[base + 2] as number) + onGrid(w);
        sums[base + 3] = (sums[base + 3] as number) + onGrid(w * value);
        sums[base + 4] = (sums[base + 4] as number) + onGrid(w * w);
      }
    }
  };
}
