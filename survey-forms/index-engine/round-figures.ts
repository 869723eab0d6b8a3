import type { CompiledForm } from '../form';
import { DIMENSIONS } from '../form-definition.schema';
import { RESPONSE_MODES } from '../modes';
import type { CellDimension } from '../tally-plan';
import type { BoundaryEdition } from '../provinces';
import { computeEdition } from './edition-figures';
import type { RoundFigures, RoundFiguresInput } from './figures';
import { vectorLayout } from './tally-vector';

// The engine's entry point. What the figures are is in figures.ts (re-exported here, so readers of
// the figures import one module); how one edition is computed, in edition-figures.ts.
export { DIMENSION_OF_GROUPING, ESTIMATES, GROUPINGS, NATIONAL_GROUP } from './figures';
export type {
  DimensionGrouping,
  EditionFigures,
  Estimate,
  EstimateFigures,
  FigureRow,
  Grouping,
  IndicatorFigures,
  ProvinceSummary,
  RoundFigures,
  RoundFiguresInput,
} from './figures';

/** The codes a questionnaire version offers for each dimension item, and every mode. */
export function dimensionCodesOf(form: CompiledForm): Record<CellDimension, string[]> {
  return {
    ...(Object.fromEntries(DIMENSIONS.map((d) => [d, (form.itemById.get(form.definition.dimensions[d])?.codes ?? []).map(String)])) as Record<
      (typeof DIMENSIONS)[number],
      string[]
    >),
    mode: [...RESPONSE_MODES],
  };
}

/**
 * Computes every figure of a round: each indicator, each estimate, each grouping, on the round's
 * boundary edition and — for a round on the 63 units — re-expressed on the 34 by adding the old units'
 * tallies into their new units (never by averaging published percentages).
 *
 * Pure and deterministic: the same cells and definition give byte-identical output.
 */
export function computeRoundFigures(input: RoundFiguresInput): RoundFigures {
  const editions: BoundaryEdition[] = input.edition === 63 ? [63, 34] : [34];
  const layout = vectorLayout(input.definition);
  const vectors = input.cells.map((cell) => layout.toVector(cell));
  return {
    definitionId: input.definition.definition.definitionId,
    definitionVersion: input.definition.definition.version,
    unitTypesOn: input.unitTypesOn,
    editions: editions.map((edition) => computeEdition(input, layout.size, vectors, edition)),
  };
}
