import { Type, type TSchema } from '@sinclair/typebox';
import { LocalizedText } from '../../../survey-forms/form-definition.schema';
import { INDICATOR_ID_PATTERN, INDICATOR_LEVELS, OVERALL_INDICATOR } from '../../../survey-forms/index-definition.schema';
import { ESTIMATES } from '../../../survey-forms/index-engine/round-figures';
import { RELEASE_GROUPINGS, RELEASE_NUMBER_PATTERN } from '../../../survey-forms/release/release-tables';
import { StringEnum } from '../../../survey-forms/typebox';
import { BoundaryEditionSchema } from '../rounds/round.schema';

const Nullable = <T extends TSchema>(schema: T, description?: string) => Type.Union([schema, Type.Null()], description ? { description } : {});
const DateTime = Type.String({ format: 'date-time' });

export const ReleaseId = Type.String({ pattern: RELEASE_NUMBER_PATTERN, description: 'The release number, e.g. 2024.1: year, then the count of releases of that year.' });
export const ReleaseParams = Type.Object({ releaseId: ReleaseId }, { additionalProperties: false });
export const ProvinceParams = Type.Object({ releaseId: ReleaseId, provinceCode: Type.String({ pattern: '^[0-9]{2}$' }) }, { additionalProperties: false });

export const PrepareReleaseBody = Type.Object(
  {
    notes: Type.Optional(Type.String({ maxLength: 2000, description: 'What the release is, for the approver.' })),
    corrects: Type.Optional(Type.String({ pattern: RELEASE_NUMBER_PATTERN, description: 'An approved release of the round that this one corrects.' })),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: 'Why the correction is made (required with `corrects`).' })),
  },
  { additionalProperties: false },
);

export const ApproveReleaseBody = Type.Object(
  { embargoUntil: Type.String({ format: 'date-time', description: 'From this time the release is public; before it only logged-in staff see it.' }) },
  { additionalProperties: false },
);

const Notice = Nullable(LocalizedText, '"chưa công bố" while the release is not public; null once it is.');

export const Provenance = Type.Object({
  responses: Type.Integer({ description: 'Responses counted.' }),
  responseIdsDigest: Type.String({ description: 'SHA-256 of the counted response ids, sorted, one a line.' }),
  responsesByProvince: Type.Optional(Type.Record(Type.String(), Type.Integer())),
  weightedResponses: Type.Integer(),
  weightsDigest: Type.String({ description: 'SHA-256 of `id<TAB>weight` of every counted response (1 where none), sorted.' }),
  form: Type.Object({ formId: Type.String(), version: Type.String(), sha256: Nullable(Type.String()) }),
  indexDefinition: Type.Object({ definitionId: Type.String(), version: Type.String(), sha256: Nullable(Type.String()) }),
  boundaryEdition: BoundaryEditionSchema,
  editions: Type.Array(BoundaryEditionSchema),
  unitTypesOn: Type.String({ format: 'date' }),
  software: Type.Object({ name: Type.String(), version: Type.String(), node: Type.String() }),
  comparedWith: Nullable(Type.Object({ releaseId: Type.String(), roundId: Type.String() }), 'The release changes are measured against.'),
});

const ChangeSummary = Type.Object({
  changes: Type.Integer({ description: 'Figures that moved.' }),
  responsesAdded: Type.Integer(),
  responsesRemoved: Type.Integer(),
  byProvince: Type.Record(Type.String(), Type.Object({ added: Type.Integer(), removed: Type.Integer() })),
});

export const ReleaseView = Type.Object({
  releaseId: Type.String(),
  roundId: Type.String(),
  year: Type.Integer(),
  status: StringEnum(['prepared', 'approved']),
  public: Type.Boolean({ description: 'Approved and past its embargo.' }),
  notice: Notice,
  notes: Nullable(Type.String()),
  corrects: Nullable(Type.String()),
  correctionReason: Nullable(Type.String()),
  preparedBy: Type.String(),
  preparedAt: DateTime,
  approvedBy: Nullable(Type.String()),
  approvedAt: Nullable(DateTime),
  embargoUntil: Nullable(DateTime),
  provenance: Provenance,
  figuresDigest: Type.String({ description: 'SHA-256 of the canonical JSON of every frozen table.' }),
  tables: Type.Integer({ description: 'Tables frozen: editions × indicators × estimates × groupings.' }),
  changeSummary: Nullable(ChangeSummary, 'A correction: how many figures moved and which responses differ from the corrected release.'),
});
export const ReleaseList = Type.Object({ releases: Type.Array(ReleaseView) });

const Figure = Type.Union([Type.Number(), Type.Boolean(), Type.String(), Type.Null()]);
const Cause = Type.Union([
  Type.Object({ kind: Type.Literal('responses'), added: Type.Integer(), removed: Type.Integer() }),
  Type.Object({ kind: Type.Literal('ranking') }),
  Type.Object({ kind: Type.Literal('provinces'), provinces: Type.Array(Type.String()) }),
  Type.Object({ kind: Type.Literal('table') }),
]);
export const FigureChangeSchema = Type.Object({
  table: Type.String({ description: '<edition>/<indicator>/<estimate>/<grouping>' }),
  group: Type.String({ description: 'The row (province code, group key, national) or "summary".' }),
  field: Type.String(),
  before: Figure,
  after: Figure,
  cause: Type.Optional(Cause),
});
export const ChangesQuery = Type.Object(
  {
    offset: Type.Integer({ minimum: 0, default: 0 }),
    limit: Type.Integer({ minimum: 1, maximum: 5000, default: 1000 }),
    table: Type.Optional(Type.String({ maxLength: 80, description: 'Only changes of this table, e.g. 63/overall/index/province.' })),
  },
  { additionalProperties: false },
);
export const ChangesReply = Type.Object({
  releaseId: Type.String(),
  corrects: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  notice: Notice,
  total: Type.Integer(),
  changes: Type.Array(FigureChangeSchema),
});

export const CheckReply = Type.Object({
  releaseId: Type.String(),
  identical: Type.Boolean({ description: 'The stored tables and the tables recomputed from the counted responses are byte-identical to what the release recorded.' }),
  recordedDigest: Type.String(),
  storedDigest: Type.String(),
  recomputedDigest: Type.String(),
  responseIdsDigest: Type.Object({ recorded: Type.String(), recomputed: Type.String() }),
  missingResponses: Type.Integer({ description: 'Counted responses no longer stored.' }),
  differencesTotal: Type.Integer(),
  differences: Type.Array(FigureChangeSchema, { description: 'Stored (before) → recomputed (after), at most 500.' }),
  checkedAt: DateTime,
});

export const TableQuerySchema = Type.Object(
  {
    edition: Type.Optional(BoundaryEditionSchema),
    indicator: Type.String({ pattern: INDICATOR_ID_PATTERN, default: OVERALL_INDICATOR }),
    estimate: StringEnum(ESTIMATES, { default: 'index' }),
    by: StringEnum(RELEASE_GROUPINGS, { default: 'province' }),
    unitType: Type.Optional(Type.String({ pattern: '^[a-z-]{1,40}$', description: 'Only provinces of this administrative-unit type (by=province).' })),
    region: Type.Optional(Type.String({ pattern: '^[a-z-]{1,40}$', description: 'Only provinces of this socio-economic region (by=province).' })),
    format: StringEnum(['json', 'csv', 'xlsx'], { default: 'json', description: 'json: the table (canonical JSON: keys sorted); csv, xlsx: the file. Each is the very bytes whose SHA-256 `downloads` gives.' }),
    download: Type.Boolean({ default: false, description: 'JSON as an attachment to save (CSV and XLSX always are).' }),
  },
  { additionalProperties: false },
);

const Row = Type.Object({
  group: Type.String(),
  label: Type.String(),
  unitType: Nullable(Type.String()),
  region: Nullable(Type.String()),
  n: Type.Integer(),
  value: Nullable(Type.Number()),
  low: Nullable(Type.Number()),
  high: Nullable(Type.Number()),
  effectiveN: Nullable(Type.Number()),
  provinces: Nullable(Type.Number()),
  rank: Nullable(Type.Number()),
  reliable: Type.Boolean(),
  previousValue: Nullable(Type.Number()),
  previousRank: Nullable(Type.Number()),
  changePoints: Nullable(Type.Number()),
  changePlaces: Nullable(Type.Number()),
  changeText: Nullable(Type.String()),
});
const Extreme = Type.Object({ value: Type.Number(), groups: Type.Array(Type.String()) });
export const TableReply = Type.Object({
  releaseId: Type.String(),
  roundId: Type.String(),
  year: Type.Integer(),
  notice: Notice,
  edition: BoundaryEditionSchema,
  indicator: Type.String(),
  indicatorLevel: StringEnum(INDICATOR_LEVELS),
  indicatorLabel: LocalizedText,
  estimate: StringEnum(ESTIMATES),
  by: StringEnum(RELEASE_GROUPINGS),
  unitType: Nullable(Type.String()),
  region: Nullable(Type.String()),
  minimumN: Type.Integer(),
  comparedWith: Nullable(Type.String()),
  figuresDigest: Type.String(),
  summary: Nullable(Type.Object({ provinces: Type.Integer(), median: Type.Number(), q1: Type.Number(), q3: Type.Number(), min: Extreme, max: Extreme })),
  rows: Type.Array(Row),
});

export const DownloadsReply = Type.Object({
  releaseId: Type.String(),
  files: Type.Array(
    Type.Object({
      format: StringEnum(['csv', 'xlsx', 'json']),
      fileName: Type.String(),
      contentType: Type.String(),
      bytes: Type.Integer(),
      sha256: Type.String({ description: 'SHA-256 of the file as served.' }),
      url: Type.String(),
    }),
  ),
});

const CardFigure = Type.Object({
  indicator: Type.String(),
  level: StringEnum(INDICATOR_LEVELS),
  label: LocalizedText,
  value: Nullable(Type.Number()),
  low: Nullable(Type.Number()),
  high: Nullable(Type.Number()),
  n: Type.Integer(),
  rank: Nullable(Type.Number()),
  reliable: Type.Boolean(),
  previousValue: Nullable(Type.Number()),
  changePoints: Nullable(Type.Number()),
  changePlaces: Nullable(Type.Number()),
  changeText: Nullable(Type.String()),
  national: Nullable(Type.Number()),
  difference: Nullable(Type.Number({ description: 'Province − national, points.' })),
});
export const ProvinceReply = Type.Object({
  releaseId: Type.String(),
  year: Type.Integer(),
  notice: Notice,
  province: Type.Object({ code: Type.String(), name: Type.String(), nameShort: Type.String(), nameEn: Type.String(), unitType: Type.String(), region: Type.String() }),
  edition: BoundaryEditionSchema,
  provincesRanked: Type.Integer(),
  minimumN: Type.Integer(),
  overall: CardFigure,
  parts: Type.Array(CardFigure, { description: 'The five elements (2017 method) or the policy and services components (2022 method).' }),
  notes: Type.Array(Type.Object({ indicator: Type.String(), vi: Type.String(), en: Type.String() }), { description: 'Small-cell notes.' }),
  trend: Type.Array(Type.Object({ releaseId: Type.String(), year: Type.Integer(), value: Nullable(Type.Number()), rank: Nullable(Type.Number()) })),
  figuresDigest: Type.String(),
});

export const PublicReleaseReply = Type.Object({
  releaseId: Type.String(),
  roundId: Type.String(),
  year: Type.Integer(),
  publishedAt: DateTime,
  corrects: Nullable(Type.String()),
  correctionReason: Nullable(Type.String()),
  correctedBy: Nullable(Type.String(), 'A later public release that corrects this one.'),
  figuresDigest: Type.String(),
  provenance: Provenance,
  indicators: Type.Array(Type.Object({ id: Type.String(), level: StringEnum(INDICATOR_LEVELS), label: LocalizedText })),
  minimumN: Type.Integer(),
  unitTypes: Type.Array(Type.Object({ key: Type.String(), label: LocalizedText })),
  regions: Type.Array(Type.Object({ key: Type.String(), label: LocalizedText })),
});
export const PublicReleaseList = Type.Object({
  releases: Type.Array(Type.Object({ releaseId: Type.String(), roundId: Type.String(), year: Type.Integer(), publishedAt: DateTime, corrects: Nullable(Type.String()) })),
});
