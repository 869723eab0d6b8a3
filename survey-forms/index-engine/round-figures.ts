import type { CompiledForm } from '../form';
import { DIMENSIONS, type Dimension } from '../form-definition.schema';
import type { CompiledIndexDefinition } from '../index-definition';
import type { IndicatorLevel } from '../index-definition.schema';
import { MULTI_REGION, REGIONS, UNIT_TYPES, type BoundaryEdition, type ProvinceReference } from '../provinces';
import type { TallyCell } from '../tally';
import {
  competitionRanks,
  kishEffectiveN,
  meanOfSharesInterval,
  orderStatistics,
  roundTo2,
  wilsonInterval,
  type Interval,
} from './statistics';

/**
 * Which estimate a figure is.
 * - `index`: the method's index. For a province, each criterion is the share of satisfied among valid
 *   answers to its items, and each higher level combines its children as the definition says. For any
 *   group of provinces (the country, a unit type, a region) and for serving level, service field and
 *   respondent type, the simple mean of the provincial values — how the Ministry publishes them.
 * - `pooled`: respondent-level: the mean of respondents' scores over everyone in the group, with a 95%
 *   Wilson interval.
 * - `weighted`: as pooled, with each respondent weighted by the design weight their response carries;
 *   the interval uses Kish's effective n. Only for rounds whose responses carry weights.
 */
export const ESTIMATES = ['index', 'pooled', 'weighted'] as const;
export type Estimate = (typeof ESTIMATES)[number];

/** How rows can be grouped. `national` is one row for the whole country. */
export const GROUPINGS = ['national', 'province', 'unit-type', 'region', 'level', 'field', 'respondent-type'] as const;
export type Grouping = (typeof GROUPINGS)[number];

/** The questionnaire dimension behind each dimension grouping. */
export const DIMENSION_OF_GROUPING: Readonly<Record<'level' | 'field' | 'respondent-type', Dimension>> = {
  level: 'servingLevel',
  field: 'serviceField',
  'respondent-type': 'respondentType',
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
  /** The codes of each dimension item, in questionnaire order: the groups of the dimension groupings. */
  dimensionCodes: Readonly<Record<Dimension, ReadonlyArray<string>>>;
}

/** The codes a questionnaire version offers for each dimension item. */
export function dimensionCodesOf(form: CompiledForm): Record<Dimension, string[]> {
  return Object.fromEntries(
    DIMENSIONS.map((d) => [d, (form.itemById.get(form.definition.dimensions[d])?.codes ?? []).map(String)]),
  ) as Record<Dimension, string[]>;
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

// A tally flattened for arithmetic: [responses, weighted, then per indicator: valid answers,
// satisfied answers, n, Σs, Σw, Σws, Σw²]. Valid and satisfied answers are used for criteria only.
const HEAD = 2;
const PER = 7;
const VALID = 0;
const SATISFIED = 1;
const N = 2;
const SUM = 3;
const W = 4;
const WS = 5;
const W2 = 6;

type Vector = Float64Array;

function vectorLayout(definition: CompiledIndexDefinition) {
  const size = HEAD + PER * definition.indicators.length;
  // For each scored item: where its criterion sits in the vector, and which codes (as tally keys) count.
  // Integer-like codes are read by number: V8 keeps such keys as array elements, and a number finds them without parsing.
  const keyOf = (code: string | number): string | number => (/^(0|[1-9][0-9]{0,8})$/.test(String(code)) ? Number(code) : String(code));
  const items = definition.items.map((item) => ({
    id: item.id,
    base: HEAD + PER * item.criterion,
    valid: item.validCodes.map(keyOf),
    satisfied: item.validCodes.map((code) => item.satisfiedCodes.includes(code)),
  }));
  const indicators = definition.indicators.map((ind) => ({ id: ind.id, base: HEAD + PER * ind.index }));
  const toVector = (cell: TallyCell): Vector => {
    const v = new Float64Array(size);
    const { answers, scores } = cell.tally;
    v[0] = cell.tally.n;
    v[1] = cell.tally.weighted;
    for (const item of items) {
      const counts = answers[item.id];
      if (!counts) continue;
      // Read the codes that count, by key: no allocation per cell.
      for (let c = 0; c < item.valid.length; c += 1) {
        const count = (counts as Record<string | number, number | undefined>)[item.valid[c] as string | number];
        if (count === undefined) continue;
        v[item.base + VALID] = (v[item.base + VALID] as number) + count;
        if (item.satisfied[c]) v[item.base + SATISFIED] = (v[item.base + SATISFIED] as number) + count;
      }
    }
    for (const indicator of indicators) {
      const sums = scores[indicator.id];
      if (!sums) continue;
      v[indicator.base + N] = sums.n;
      v[indicator.base + SUM] = sums.sum;
      v[indicator.base + W] = sums.w;
      v[indicator.base + WS] = sums.ws;
      v[indicator.base + W2] = sums.w2;
    }
    return v;
  };
  return { size, toVector };
}

function addInto(into: Vector, from: Vector): void {
  for (let i = 0; i < into.length; i += 1) into[i] = (into[i] ?? 0) + (from[i] ?? 0);
}

function sumVectors(vectors: ReadonlyArray<Vector>, size: number): Vector {
  const total = new Float64Array(size);
  for (const v of vectors) addInto(total, v);
  return total;
}

/** The method's index value of every indicator from one vector: shares of answers, combined upward. NaN: no value. */
function indexValuesOf(definition: CompiledIndexDefinition, v: Vector): Float64Array {
  const values = new Float64Array(definition.indicators.length).fill(NaN);
  for (const indicator of definition.indicators) {
    const base = HEAD + PER * indicator.index;
    if (indicator.level === 'criterion') {
      const valid = v[base + VALID] ?? 0;
      if (valid > 0) values[indicator.index] = (v[base + SATISFIED] ?? 0) / valid;
      continue;
    }
    let total = 0;
    let weightSum = 0;
    indicator.children.forEach((child, j) => {
      const value = values[child] ?? NaN;
      if (Number.isNaN(value)) return;
      const weight = indicator.weights[j] ?? 0;
      total += weight * value;
      weightSum += weight;
    });
    if (weightSum > 0) values[indicator.index] = total / weightSum;
  }
  return values;
}

/** A vector with its index values, computed once. */
interface Scored {
  v: Vector;
  index: Float64Array;
}

const percent = (share: number): number => roundTo2(100 * share);
const intervalFields = (interval: Interval | null) => ({
  low: interval ? percent(interval.low) : null,
  high: interval ? percent(interval.high) : null,
});

/** A row whose figure comes from one vector: a province, or a pooled or weighted group. */
function rowOfVector(group: string, scored: Scored | undefined, k: number, estimate: Estimate, minimumN: number, provinces: number | null): FigureRow {
  const base = HEAD + PER * k;
  const v = scored?.v;
  const n = v?.[base + N] ?? 0;
  const empty: FigureRow = { group, n, value: null, low: null, high: null, effectiveN: null, provinces, rank: null, reliable: false };
  if (!v || n === 0) return { ...empty, ...(estimate === 'weighted' ? { effectiveN: 0 } : {}) };
  if (estimate === 'weighted') {
    const w = v[base + W] ?? 0;
    const p = (v[base + WS] ?? 0) / w;
    const effectiveN = kishEffectiveN(w, v[base + W2] ?? 0);
    return { ...empty, value: percent(p), ...intervalFields(wilsonInterval(p, effectiveN)), effectiveN: roundTo2(effectiveN), reliable: effectiveN >= minimumN };
  }
  const p = estimate === 'pooled' ? (v[base + SUM] ?? 0) / n : (scored.index[k] ?? NaN);
  if (Number.isNaN(p)) return empty;
  return { ...empty, value: percent(p), ...intervalFields(wilsonInterval(p, n)), reliable: n >= minimumN };
}

/** A row that is the simple mean of provincial index values. */
function rowOfMean(group: string, members: ReadonlyArray<Scored>, k: number, minimumN: number): FigureRow {
  const base = HEAD + PER * k;
  const shares = members
    .map((m) => ({ p: m.index[k] ?? NaN, n: m.v[base + N] ?? 0 }))
    .filter((s) => !Number.isNaN(s.p));
  const n = members.reduce((sum, m) => sum + (m.v[base + N] ?? 0), 0);
  const row: FigureRow = { group, n, value: null, low: null, high: null, effectiveN: null, provinces: shares.length, rank: null, reliable: false };
  if (shares.length === 0) return row;
  const mean = shares.reduce((sum, s) => sum + s.p, 0) / shares.length;
  return { ...row, value: percent(mean), ...intervalFields(meanOfSharesInterval(shares)), reliable: n >= minimumN };
}

function withRanks(rows: FigureRow[]): FigureRow[] {
  const ranks = competitionRanks(rows.map((r) => r.value));
  return rows.map((row, i) => ({ ...row, rank: ranks[i] ?? null }));
}

function summarise(rows: ReadonlyArray<FigureRow>): ProvinceSummary | null {
  const valued = rows.filter((r): r is FigureRow & { value: number } => r.value !== null);
  const stats = orderStatistics(valued.map((r) => r.value));
  if (!stats) return null;
  return {
    provinces: stats.count,
    median: stats.median,
    q1: stats.q1,
    q3: stats.q3,
    min: { value: stats.min, groups: valued.filter((r) => r.value === stats.min).map((r) => r.group) },
    max: { value: stats.max, groups: valued.filter((r) => r.value === stats.max).map((r) => r.group) },
  };
}

function computeEdition(input: RoundFiguresInput, size: number, vectors: ReadonlyArray<Vector>, edition: BoundaryEdition): EditionFigures {
  const { definition, provinces } = input;
  const score = (v: Vector): Scored => ({ v, index: indexValuesOf(definition, v) });
  const unitOf = (code: string): string => (edition === input.edition ? code : provinces.mergedInto(code));

  // Sum cells into provinces, and into province × dimension code.
  const byProvince = new Map<string, Vector>();
  const byDimension = new Map<Dimension, Map<string, Map<string, Vector>>>(DIMENSIONS.map((d) => [d, new Map()]));
  input.cells.forEach((cell, c) => {
    const code = unitOf(cell.provinceCode);
    const v = vectors[c] as Vector;
    let provinceTotal = byProvince.get(code);
    if (!provinceTotal) byProvince.set(code, (provinceTotal = new Float64Array(size)));
    addInto(provinceTotal, v);
    for (const d of DIMENSIONS) {
      const dimensionCode = cell.dimensions[d];
      if (dimensionCode === '') continue;
      const perProvince = byDimension.get(d) as Map<string, Map<string, Vector>>;
      let perCode = perProvince.get(dimensionCode);
      if (!perCode) perProvince.set(dimensionCode, (perCode = new Map<string, Vector>()));
      let found = perCode.get(code);
      if (!found) perCode.set(code, (found = new Float64Array(size)));
      addInto(found, v);
    }
  });

  const units = provinces.provinces(edition);
  const provinceScored = units.map((p) => {
    const v = byProvince.get(p.code);
    return { province: p, scored: v ? score(v) : undefined };
  });
  const withValues = (list: typeof provinceScored): Scored[] => list.flatMap((p) => (p.scored ? [p.scored] : []));
  const sumOf = (list: ReadonlyArray<Scored>): Scored => score(sumVectors(list.map((s) => s.v), size));

  // Groups of provinces: each a list of members.
  const unitTypeGroups = UNIT_TYPES.map((type) => ({
    group: type,
    members: withValues(provinceScored.filter((p) => provinces.unitTypeOn(edition, p.province.code, input.unitTypesOn) === type)),
  }));
  const regionKeys = [...REGIONS.map((r) => r.key as string), ...(units.some((u) => u.regionKey === MULTI_REGION.key) ? [MULTI_REGION.key] : [])];
  const regionGroups = regionKeys.map((key) => ({ group: key, members: withValues(provinceScored.filter((p) => p.province.regionKey === key)) }));
  const dimensionGroups = (d: Dimension) =>
    input.dimensionCodes[d].map((code) => {
      const perProvince = byDimension.get(d)?.get(code) ?? new Map<string, Vector>();
      return { group: code, members: [...perProvince.keys()].sort().map((p) => score(perProvince.get(p) as Vector)) };
    });
  const groupsOf: Record<Exclude<Grouping, 'province'>, Array<{ group: string; members: Scored[] }>> = {
    national: [{ group: NATIONAL_GROUP, members: withValues(provinceScored) }],
    'unit-type': unitTypeGroups,
    region: regionGroups,
    level: dimensionGroups(DIMENSION_OF_GROUPING.level),
    field: dimensionGroups(DIMENSION_OF_GROUPING.field),
    'respondent-type': dimensionGroups(DIMENSION_OF_GROUPING['respondent-type']),
  };
  const pooledOf = new Map(
    Object.values(groupsOf)
      .flat()
      .map((g) => [g, sumOf(g.members)] as const),
  );

  const national = pooledOf.get(groupsOf.national[0] as { group: string; members: Scored[] }) as Scored;
  const responses = national.v[0] ?? 0;
  const weightedResponses = national.v[1] ?? 0;
  const minimumN = definition.minimumN;

  const estimateFigures = (k: number, estimate: Estimate): EstimateFigures => {
    const provinceRows = withRanks(provinceScored.map((p) => rowOfVector(p.province.code, p.scored, k, estimate, minimumN, null)));
    const groupRows = (grouping: Exclude<Grouping, 'province'>): FigureRow[] => {
      const rows = groupsOf[grouping].map((g) => {
        const counted = g.members.filter((m) => (m.v[HEAD + PER * k + N] ?? 0) > 0).length;
        return estimate === 'index'
          ? rowOfMean(g.group, g.members, k, minimumN)
          : rowOfVector(g.group, pooledOf.get(g), k, estimate, minimumN, counted);
      });
      return grouping === 'national' ? rows : withRanks(rows);
    };
    return {
      summary: summarise(provinceRows),
      groupings: {
        national: groupRows('national'),
        province: provinceRows,
        'unit-type': groupRows('unit-type'),
        region: groupRows('region'),
        level: groupRows('level'),
        field: groupRows('field'),
        'respondent-type': groupRows('respondent-type'),
      },
    };
  };

  const indicators: Record<string, IndicatorFigures> = {};
  for (const indicator of definition.indicators) {
    indicators[indicator.id] = {
      level: indicator.level,
      estimates: {
        index: estimateFigures(indicator.index, 'index'),
        pooled: estimateFigures(indicator.index, 'pooled'),
        weighted: weightedResponses > 0 ? estimateFigures(indicator.index, 'weighted') : null,
      },
    };
  }
  return { edition, responses, weightedResponses, indicators };
}
