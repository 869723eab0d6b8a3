import { CELL_DIMENSIONS, type CellDimension } from '../tally-plan';
import { MULTI_REGION, REGIONS, UNIT_TYPES, unitTypeMembers, type BoundaryEdition, type Province } from '../provinces';
import { rowOfMean, rowOfVector, summarise, withRanks } from './figure-rows';
import {
  DIMENSION_OF_GROUPING,
  NATIONAL_GROUP,
  type EditionFigures,
  type Estimate,
  type EstimateFigures,
  type FigureRow,
  type Grouping,
  type IndicatorFigures,
  type RoundFiguresInput,
} from './figures';
import { N, addInto, baseOf, indexValuesOf, sumVectors, type Scored, type Vector } from './tally-vector';

// One boundary edition of a round: cells summed into units, units into groups, then every row.

/** A group of provinces (or of province × dimension code sums) and the members its figures come from. */
interface Group {
  group: string;
  members: Scored[];
}

type GroupsOf = Record<Exclude<Grouping, 'province'>, Group[]>;

interface ProvinceScored {
  province: Province;
  /** Undefined when the province has no responses. */
  scored: Scored | undefined;
}

/** The cells summed per unit of the edition, and per dimension code × unit. */
interface UnitTotals {
  byProvince: Map<string, Vector>;
  byDimension: Map<CellDimension, Map<string, Map<string, Vector>>>;
}

/** What every row of the edition is read from. */
interface EditionSums {
  minimumN: number;
  provinceScored: ProvinceScored[];
  groupsOf: GroupsOf;
  /** Each group's members summed: the pooled and weighted estimates' vector. */
  pooledOf: Map<Group, Scored>;
}

/**
 * The figures of one edition. Cells are on the round's own edition; on the other one (the 34 of a
 * 63-unit round) each cell counts in the unit its province became.
 */
export function computeEdition(input: RoundFiguresInput, size: number, vectors: ReadonlyArray<Vector>, edition: BoundaryEdition): EditionFigures {
  const { definition, provinces } = input;
  const score = (v: Vector): Scored => ({ v, index: indexValuesOf(definition, v) });
  const unitOf = (code: string): string => (edition === input.edition ? code : provinces.mergedInto(code));
  const totals = sumIntoUnits(input, size, vectors, unitOf);

  const provinceScored = provinces.provinces(edition).map((province) => {
    const v = totals.byProvince.get(province.code);
    return { province, scored: v ? score(v) : undefined };
  });
  const groupsOf = groupsOfProvinces(input, edition, provinceScored, totals, score);
  const pooledOf = new Map(
    Object.values(groupsOf)
      .flat()
      .map((g) => [g, score(sumVectors(g.members.map((s) => s.v), size))] as const),
  );
  const sums: EditionSums = { minimumN: definition.minimumN, provinceScored, groupsOf, pooledOf };

  const national = pooledOf.get(groupsOf.national[0] as Group) as Scored;
  const responses = national.v[0] ?? 0;
  const weightedResponses = national.v[1] ?? 0;
  const indicators: Record<string, IndicatorFigures> = {};
  for (const indicator of definition.indicators) {
    indicators[indicator.id] = {
      level: indicator.level,
      estimates: {
        index: estimateFigures(sums, indicator.index, 'index'),
        pooled: estimateFigures(sums, indicator.index, 'pooled'),
        weighted: weightedResponses > 0 ? estimateFigures(sums, indicator.index, 'weighted') : null,
      },
    };
  }
  return { edition, responses, weightedResponses, indicators };
}

/** Sums cells into units, and into unit × dimension code. */
function sumIntoUnits(input: RoundFiguresInput, size: number, vectors: ReadonlyArray<Vector>, unitOf: (code: string) => string): UnitTotals {
  const byProvince = new Map<string, Vector>();
  const byDimension = new Map<CellDimension, Map<string, Map<string, Vector>>>(CELL_DIMENSIONS.map((d) => [d, new Map()]));
  input.cells.forEach((cell, c) => {
    const code = unitOf(cell.provinceCode);
    const v = vectors[c] as Vector;
    let provinceTotal = byProvince.get(code);
    if (!provinceTotal) byProvince.set(code, (provinceTotal = new Float64Array(size)));
    addInto(provinceTotal, v);
    for (const d of CELL_DIMENSIONS) {
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
  return { byProvince, byDimension };
}

/** Every grouping's groups, each a list of members: provinces, or a dimension code's province sums. */
function groupsOfProvinces(
  input: RoundFiguresInput,
  edition: BoundaryEdition,
  provinceScored: ReadonlyArray<ProvinceScored>,
  totals: UnitTotals,
  score: (v: Vector) => Scored,
): GroupsOf {
  const withValues = (list: ReadonlyArray<ProvinceScored>): Scored[] => list.flatMap((p) => (p.scored ? [p.scored] : []));
  // Types on the round's date, on this edition's units (a 34-unit view of an older round included).
  const typeMembers = unitTypeMembers(input.provinces, edition, input.unitTypesOn);
  const unitTypeGroups = UNIT_TYPES.map((type) => {
    const codes = new Set(typeMembers[type]);
    return { group: type, members: withValues(provinceScored.filter((p) => codes.has(p.province.code))) };
  });
  const hasMultiRegion = provinceScored.some((p) => p.province.regionKey === MULTI_REGION.key);
  const regionKeys = [...REGIONS.map((r) => r.key as string), ...(hasMultiRegion ? [MULTI_REGION.key] : [])];
  const regionGroups = regionKeys.map((key) => ({ group: key, members: withValues(provinceScored.filter((p) => p.province.regionKey === key)) }));
  const dimensionGroups = (d: CellDimension): Group[] =>
    input.dimensionCodes[d].map((code) => {
      const perProvince = totals.byDimension.get(d)?.get(code) ?? new Map<string, Vector>();
      return { group: code, members: [...perProvince.keys()].sort().map((p) => score(perProvince.get(p) as Vector)) };
    });
  return {
    national: [{ group: NATIONAL_GROUP, members: withValues(provinceScored) }],
    'unit-type': unitTypeGroups,
    region: regionGroups,
    level: dimensionGroups(DIMENSION_OF_GROUPING.level),
    field: dimensionGroups(DIMENSION_OF_GROUPING.field),
    'respondent-type': dimensionGroups(DIMENSION_OF_GROUPING['respondent-type']),
    mode: dimensionGroups(DIMENSION_OF_GROUPING.mode),
  };
}

/** Every grouping's rows of one indicator (`k`) and one estimate. */
function estimateFigures(sums: EditionSums, k: number, estimate: Estimate): EstimateFigures {
  const { minimumN, provinceScored, groupsOf, pooledOf } = sums;
  const provinceRows = withRanks(provinceScored.map((p) => rowOfVector(p.province.code, p.scored, k, estimate, minimumN, null)));
  const groupRows = (grouping: Exclude<Grouping, 'province'>): FigureRow[] => {
    const rows = groupsOf[grouping].map((g) => {
      const counted = g.members.filter((m) => (m.v[baseOf(k) + N] ?? 0) > 0).length;
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
      mode: groupRows('mode'),
    },
  };
}
