/** How releases, their tables and a province's figures are shown: to staff (marked until public) and to the public. */
import type { CompiledForm } from '../../../survey-forms/form';
import type { CompiledIndexDefinition } from '../../../survey-forms/index-definition';
import { describePlaces } from '../../../survey-forms/index-engine/changes';
import type { Estimate, Grouping } from '../../../survey-forms/index-engine/round-figures';
import { MULTI_REGION, REGIONS, UNIT_TYPE_LABELS, UNIT_TYPES, type BoundaryEdition, type ProvinceReference } from '../../../survey-forms/provinces';
import { tableKey, type ReleaseRow, type ReleaseTable } from '../../../survey-forms/release/release-tables';
import { notFound, validationFailed } from '../../http/problem';
import { groupLabel } from '../aggregates/aggregate.present';
import type { ReleaseRecord } from './release.repository';

/** The words every view and file of a release carries until its embargo has passed. */
export const NOT_PUBLISHED = { vi: 'chưa công bố', en: 'not yet published' } as const;

/** A release with the method it names and whether the caller reads it before publication. */
export interface ReleaseContext {
  release: ReleaseRecord;
  form: CompiledForm;
  definition: CompiledIndexDefinition;
  provinces: ProvinceReference;
  /** True for staff reading a release that is not public yet: every view and file says so. */
  marked: boolean;
}

export function presentRelease(release: ReleaseRecord, isPublicNow: boolean) {
  return {
    releaseId: release.id,
    roundId: release.roundId,
    year: release.year,
    status: release.status,
    public: isPublicNow,
    notice: isPublicNow ? null : NOT_PUBLISHED,
    notes: release.notes,
    corrects: release.corrects,
    correctionReason: release.correctionReason,
    preparedBy: release.preparedBy,
    preparedAt: release.preparedAt.toISOString(),
    approvedBy: release.approvedBy,
    approvedAt: release.approvedAt?.toISOString() ?? null,
    embargoUntil: release.embargoUntil?.toISOString() ?? null,
    provenance: release.provenance,
    figuresDigest: release.figuresDigest,
    tables: release.tables,
    changeSummary: release.changeSummary,
  };
}

/** What the public is told of a release: no staff names. */
export function presentPublicRelease(ctx: ReleaseContext, correctedBy: string | null) {
  const { release, definition } = ctx;
  return {
    releaseId: release.id,
    roundId: release.roundId,
    year: release.year,
    publishedAt: release.embargoUntil?.toISOString() ?? '',
    corrects: release.corrects,
    correctionReason: release.correctionReason,
    correctedBy,
    figuresDigest: release.figuresDigest,
    provenance: { ...release.provenance, responsesByProvince: undefined },
    indicators: definition.indicators.map((i) => ({ id: i.id, level: i.level, label: i.label })),
    minimumN: definition.minimumN,
    unitTypes: UNIT_TYPES.map((key) => ({ key, label: UNIT_TYPE_LABELS[key] })),
    regions: [...REGIONS.map((r) => ({ key: r.key, label: { vi: r.vi, en: r.en } })), { key: MULTI_REGION.key, label: { vi: MULTI_REGION.vi, en: MULTI_REGION.en } }],
  };
}

export interface TableQuery {
  edition?: BoundaryEdition;
  indicator: string;
  estimate: Estimate;
  by: Grouping;
  unitType?: string;
  region?: string;
}

/** Finds a frozen table; a place the release has no table for is a 400 naming the parameter. */
export function findTable(ctx: ReleaseContext, tables: ReadonlyArray<ReleaseTable>, query: TableQuery): ReleaseTable {
  const edition = query.edition ?? ctx.release.provenance.boundaryEdition;
  if (!ctx.release.provenance.editions.includes(edition)) {
    throw validationFailed([{ path: '/query/edition', code: 'not_available', message: `release ${ctx.release.id} has no figures on the ${edition} units` }]);
  }
  if (!ctx.definition.indicatorById.has(query.indicator)) {
    throw validationFailed([{ path: '/query/indicator', code: 'not_in_options', message: `is not an indicator of release ${ctx.release.id}` }]);
  }
  const table = tables.find((t) => tableKey(t) === tableKey({ edition, indicator: query.indicator, estimate: query.estimate, grouping: query.by }));
  if (!table) throw validationFailed([{ path: '/query/estimate', code: 'not_available', message: `release ${ctx.release.id} has no ${query.estimate} estimate` }]);
  return table;
}

export interface RowView extends ReleaseRow {
  label: string;
  unitType: string | null;
  region: string | null;
  changeText: string | null;
}

/** A frozen table with labels, each province row with its unit type and region, filtered when asked. */
export function presentTable(ctx: ReleaseContext, table: ReleaseTable, query: TableQuery) {
  const { release, form, provinces } = ctx;
  const rows: RowView[] = table.rows.map((row) => {
    const province = table.grouping === 'province' ? provinces.province(table.edition, row.group) : undefined;
    return {
      ...row,
      label: groupLabel(table.grouping, row.group, table.edition, form, provinces),
      unitType: province ? provinces.unitTypeOn(table.edition, row.group, release.provenance.unitTypesOn) : null,
      region: province ? province.regionKey : null,
      changeText: describePlaces(row.changePlaces)?.vi ?? null,
    };
  });
  const filtered = rows.filter((r) => (!query.unitType || r.unitType === query.unitType) && (!query.region || r.region === query.region));
  const indicator = ctx.definition.indicatorById.get(table.indicator);
  return {
    releaseId: release.id,
    roundId: release.roundId,
    year: release.year,
    notice: ctx.marked ? NOT_PUBLISHED : null,
    edition: table.edition,
    indicator: table.indicator,
    indicatorLevel: table.level,
    indicatorLabel: indicator?.label ?? { vi: table.indicator, en: table.indicator },
    estimate: table.estimate,
    by: table.grouping,
    unitType: query.unitType ?? null,
    region: query.region ?? null,
    minimumN: ctx.definition.minimumN,
    comparedWith: release.provenance.comparedWith?.releaseId ?? null,
    figuresDigest: release.figuresDigest,
    summary: table.summary,
    rows: filtered,
  };
}
export type TableView = ReturnType<typeof presentTable>;

/** The indicators a province card shows beside the overall: the components where the method has them, else the elements. */
export function cardIndicators(definition: CompiledIndexDefinition): string[] {
  const components = definition.indicators.filter((i) => i.level === 'component');
  return (components.length > 0 ? components : definition.indicators.filter((i) => i.level === 'element')).map((i) => i.id);
}

export interface TrendPoint {
  releaseId: string;
  year: number;
  value: number | null;
  rank: number | null;
}

/** One province's figures in a release: overall and its elements (or components) against the national figure. */
export function presentProvince(ctx: ReleaseContext, tables: ReadonlyArray<ReleaseTable>, provinceCode: string, trend: TrendPoint[]) {
  const { release, definition, provinces } = ctx;
  const edition = release.provenance.boundaryEdition;
  const province = provinces.province(edition, provinceCode);
  if (!province) throw notFound(`Province ${provinceCode} of release ${release.id}`);
  const rowOf = (indicator: string, by: Grouping, group: string): ReleaseRow | null =>
    tables.find((t) => tableKey(t) === tableKey({ edition, indicator, estimate: 'index', grouping: by }))?.rows.find((r) => r.group === group) ?? null;
  const figure = (indicator: string) => {
    const own = rowOf(indicator, 'province', provinceCode);
    const national = rowOf(indicator, 'national', 'national');
    const meta = definition.indicatorById.get(indicator);
    return {
      indicator,
      level: meta?.level ?? 'overall',
      label: meta?.label ?? { vi: indicator, en: indicator },
      value: own?.value ?? null,
      low: own?.low ?? null,
      high: own?.high ?? null,
      n: own?.n ?? 0,
      rank: own?.rank ?? null,
      reliable: own?.reliable ?? false,
      previousValue: own?.previousValue ?? null,
      changePoints: own?.changePoints ?? null,
      changePlaces: own?.changePlaces ?? null,
      changeText: describePlaces(own?.changePlaces ?? null)?.vi ?? null,
      national: national?.value ?? null,
      difference: own?.value !== null && own?.value !== undefined && national?.value !== null && national?.value !== undefined ? Math.round((own.value - national.value) * 100) / 100 : null,
    };
  };
  const overall = figure('overall');
  const parts = cardIndicators(definition).map(figure);
  const ranked = tables.find((t) => tableKey(t) === tableKey({ edition, indicator: 'overall', estimate: 'index', grouping: 'province' }))?.rows.filter((r) => r.rank !== null).length ?? 0;
  const notes = [overall, ...parts]
    .filter((f) => !f.reliable)
    .map((f) => ({
      indicator: f.indicator,
      vi: `${f.label.vi}: ${f.n} người trả lời, dưới cỡ mẫu tối thiểu ${definition.minimumN}; đọc số liệu thận trọng.`,
      en: `${f.label.en}: ${f.n} respondents, below the minimum of ${definition.minimumN}; read with care.`,
    }));
  return {
    releaseId: release.id,
    year: release.year,
    notice: ctx.marked ? NOT_PUBLISHED : null,
    province: {
      code: province.code,
      name: province.name,
      nameShort: province.nameShort,
      nameEn: province.nameEn,
      unitType: provinces.unitTypeOn(edition, province.code, release.provenance.unitTypesOn),
      region: province.regionKey,
    },
    edition,
    provincesRanked: ranked,
    minimumN: definition.minimumN,
    overall,
    parts,
    notes,
    trend,
    figuresDigest: release.figuresDigest,
  };
}
export type ProvinceView = ReturnType<typeof presentProvince>;
