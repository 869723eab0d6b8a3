import type { CompiledIndexDefinition } from '../index-definition';
import type { IndicatorLevel } from '../index-definition.schema';
import type { BoundaryEdition, ProvinceReference } from '../provinces';
import type { TallyCell } from '../tally';
import type { CellDimension } from '../tally-plan';

// What a round's figures are: estimates, groupings, rows. The engine computes them (round-figures.ts);
// the API, the worker and the downloads read them.

/**
 * Which estimate a figure is.
 * - `index`: the method's index. For a province, each criterion is the share of satisfied among valid
 *   answers to its items, and each higher level combines its children as the definition says. For any
 *   group of provinces (the country, a unit type, a region) and for serving level, service field,
 *   respondent type and mode, the simple mean of the provincial values — how the Ministry publishes them.
 * - `pooled`: respondent-level: the mean of respondents' scores over everyone in the group, with a 95%
 *   Wilson interval.
 * - `weighted`: as pooled, with each respondent weighted by the design weight their response carries;
 *   the interval uses Kish's effective n. Only for rounds whose responses carry weights.
 */
export const ESTIMATES = ['index', 'pooled', 'weighted'] as const;
export type Estimate = (typeof ESTIMATES)[number];

/** How rows can be grouped. `national` is one row for the whole country; `mode` a row per way of collecting (modes.ts). */
export const GROUPINGS = ['national', 'province', 'unit-type', 'region', 'level', 'field', 'respondent-type', 'mode'] as const;
export type Grouping = (typeof GROUPINGS)[number];

/** The groupings whose groups are a cell dimension's codes. */
export type DimensionGrouping = 'level' | 'field' | 'respondent-type' | 'mode';

/** The cell dimension behind each dimension grouping: a questionnaire dimension item, or the mode. */
export const DIMENSION_OF_GROUPING: Readonly<Record<DimensionGrouping, CellDimension>> = {
  level: 'servingLevel',
  field: 'serviceField',
  'respondent-type': 'respondentType',
  mode: 'mode',
};

export const NATIONAL_GROUP = 'national';

/** One row of a table: a figure of one indicator, one estimate, for one group. */
export interface FigureRow {
  /** Province code, unit-type, region key, dimension code, or `national`. */
  group: string;
  /** Respondents behind the figure: those with at least one valid answer to the indicator. */
  n: number;
  /** Percent, two decimals; null without respondents. */
  value: number | null;
  /** 95% interval, percent, two decimals; null without respondents. */
  low: number | null;
  high: number | null;
  /** Weighted estimates: Kish's effective n, two decimals. */
  effectiveN: number | null;
  /** Rows of a group of provinces: how many provinces have a value (for `index`, whose mean this is). */
  provinces: number | null;
  /** Among the rows of the grouping, highest first, ties sharing the better rank (on the two-decimal value). */
  rank: number | null;
  /** False when fewer respondents (effective respondents, when weighted) than the definition's minimum. */
  reliable: boolean;
}

/** The spread of provincial values of one indicator and estimate. */
export interface ProvinceSummary {
  /** Provinces with a value. */
  provinces: number;
  median: number;
  q1: number;
  q3: number;
  min: { value: number; groups: string[] };
  max: { value: number; groups: string[] };
}

export interface EstimateFigures {
  /** Null when no province has a value. */
  summary: ProvinceSummary | null;
  groupings: Record<Grouping, FigureRow[]>;
}

export interface IndicatorFigures {
  level: IndicatorLevel;
  /** `weighted` is null when no response of the round carries a weight. */
  estimates: { index: EstimateFigures; pooled: EstimateFigures; weighted: EstimateFigures | null };
}

/** A round's figures on one boundary edition. */
export interface EditionFigures {
  edition: BoundaryEdition;
  /** Responses counted. */
  responses: number;
  /** Of those, responses that carried a weight. */
  weightedResponses: number;
  /** Indicator id → figures, in the definition's bottom-up order. */
  indicators: Record<string, IndicatorFigures>;
}

export interface RoundFigures {
  definitionId: string;
  definitionVersion: string;
  /** The date whose administrative-unit types group the provinces. */
  unitTypesOn: string;
  /** The edition the round was collected on first; a 63-unit round is also re-expressed on the 34. */
  editions: EditionFigures[];
}

export interface RoundFiguresInput {
  definition: CompiledIndexDefinition;
  /** The round's cells, on the edition it was collected on. */
  cells: ReadonlyArray<TallyCell>;
  edition: BoundaryEdition;
  provinces: ProvinceReference;
  /** ISO date whose unit types group provinces: the round's fieldwork start. */
  unitTypesOn: string;
  /** The codes of each dimension item, in questionnaire order, and the modes: the groups of the dimension groupings. */
  dimensionCodes: Readonly<Record<CellDimension, ReadonlyArray<string>>>;
}
