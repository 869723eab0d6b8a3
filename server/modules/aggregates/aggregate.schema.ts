import { Type, type TSchema } from '@sinclair/typebox';
import { LocalizedText } from '../../../survey-forms/form-definition.schema';
import { INDICATOR_ID_PATTERN, INDICATOR_LEVELS, OVERALL_INDICATOR } from '../../../survey-forms/index-definition.schema';
import { ESTIMATES, GROUPINGS } from '../../../survey-forms/index-engine/round-figures';
import { StringEnum } from '../../../survey-forms/typebox';
import { BoundaryEditionSchema } from '../rounds/round.schema';

export const AGGREGATE_GROUPINGS = GROUPINGS;

/** What a row can show; `?fields=` picks them, in this order. */
export const ROW_FIELDS = [
  'group',
  'label',
  'n',
  'value',
  'estimate',
  'low',
  'high',
  'effectiveN',
  'provinces',
  'reliable',
  'rank',
  'previousValue',
  'previousRank',
  'changePoints',
  'changePlaces',
  'changeText',
  'suppressed',
] as const;
export type RowField = (typeof ROW_FIELDS)[number];

/** The columns a table has unless `?fields=` picks some: everything, group, label, n and value first. */
export const DEFAULT_ROW_FIELDS: ReadonlyArray<RowField> = ROW_FIELDS;

/** How a row states its estimate: `index` splits into a province's own value and a mean of provinces. */
export const ROW_ESTIMATES = ['province-index', 'mean-of-provinces', 'pooled', 'weighted'] as const;

export const AggregatesQuery = Type.Object(
  {
    by: StringEnum(AGGREGATE_GROUPINGS, {
      default: 'province',
      description:
        'Rows per province, administrative-unit type, socio-economic region, serving level, service field, respondent type, ' +
        'mode of collection (capi: interview on a device, papi: paper questionnaire keyed in, cawi: self-completed online), or one national row.',
    }),
    indicator: Type.String({
      pattern: INDICATOR_ID_PATTERN,
      default: OVERALL_INDICATOR,
      description: 'The overall index (default), or a component, element or criterion id of the round\'s index definition.',
    }),
    edition: Type.Optional(
      Type.Union([Type.Literal(63), Type.Literal(34)], {
        description: 'Boundary edition of the rows. Default: the round\'s own. A round on the 63 units can be shown on the 34 (its responses re-aggregated on the merged units).',
      }),
    ),
    estimate: StringEnum(ESTIMATES, {
      default: 'index',
      description:
        'index: the method\'s index (a province from its answers; any group the simple mean of its provinces, as published). ' +
        'pooled: respondent-level over everyone in the group, 95% Wilson interval. weighted: as pooled with the responses\' design weights, Kish effective n.',
    }),
    fields: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z,]+$',
        description: `Comma-separated row fields, or "all": ${ROW_FIELDS.join(', ')}. Default: all.`,
      }),
    ),
    format: StringEnum(['json', 'csv', 'xlsx'], {
      default: 'json',
      description:
        'csv: UTF-8 with a byte-order mark, so Excel reads Vietnamese; columns are the row fields. ' +
        'xlsx: three sheets — the table (Vietnamese headers, two decimals), a codebook (every column, indicator and code) and the metadata ' +
        '(round, questionnaire and index definition versions, boundary edition, estimation method, generated at, responses included and excluded, suppressed cells).',
    }),
    download: Type.Boolean({
      default: false,
      description: 'JSON as a file to save: sent as an attachment, with the codebook and the metadata beside the table. CSV and XLSX are always attachments.',
    }),
    suppress: Type.Boolean({
      default: false,
      description:
        'For published outputs: withhold the figures of rows below the minimum n (value, interval, rank and changes left empty, `suppressed` true). ' +
        'Such rows are marked unreliable (`reliable` false) whether or not they are suppressed.',
    }),
  },
  { additionalProperties: false },
);

// Generic, so `Static` keeps the type of the non-null side (the browser apps read these rows typed).
const Nullable = <T extends TSchema>(schema: T, description: string) => Type.Union([schema, Type.Null()], { description });

/** Each field is there when `fields` asks for it (all by default). */
export const AggregateRow = Type.Object({
  group: Type.Optional(
    Type.String({
      description: 'Province code, unit-type key, region key, dimension code (serving level, service field, respondent type), mode (capi, papi, cawi), or "national".',
    }),
  ),
  label: Type.Optional(Type.String({ description: 'Vietnamese name of the group.' })),
  n: Type.Optional(Type.Integer({ description: 'Respondents behind the figure: those with at least one valid answer to the indicator.' })),
  value: Type.Optional(
    Type.Union([Type.Number(), Type.Null()], {
      description: 'The figure in percent, two decimals; null without respondents. Which estimate it is: the reply\'s `estimate`, or the row\'s `estimate` field.',
    }),
  ),
  estimate: Type.Optional(StringEnum(ROW_ESTIMATES, { description: 'Which estimate this row\'s value is.' })),
  low: Type.Optional(Nullable(Type.Number(), 'Lower end of the 95% interval, percent.')),
  high: Type.Optional(Nullable(Type.Number(), 'Upper end of the 95% interval, percent.')),
  effectiveN: Type.Optional(Nullable(Type.Number(), 'Weighted estimates: Kish effective number of respondents.')),
  provinces: Type.Optional(Nullable(Type.Number(), 'Groups of provinces: how many provinces have a value.')),
  reliable: Type.Optional(Type.Boolean({ description: 'False below the index definition\'s minimum number of (effective) respondents.' })),
  rank: Type.Optional(Nullable(Type.Number(), 'Rank among the rows, highest value first; ties share the better rank.')),
  previousValue: Type.Optional(Nullable(Type.Number(), 'The same figure in the previous round.')),
  previousRank: Type.Optional(Nullable(Type.Number(), 'The rank in the previous round.')),
  changePoints: Type.Optional(Nullable(Type.Number(), 'Change against the previous round, percentage points.')),
  changePlaces: Type.Optional(Nullable(Type.Number(), 'Places gained against the previous round: positive is up.')),
  changeText: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'The change of places as reports word it, e.g. "tăng 3 bậc".' })),
  suppressed: Type.Optional(Type.Boolean({ description: 'True when `suppress` was asked and the row is below the minimum n: its figures are withheld.' })),
});

const Extreme = Type.Object({ value: Type.Number(), groups: Type.Array(Type.String(), { description: 'Province codes with that value.' }) });

export const AggregatesReply = Type.Object({
  roundId: Type.String(),
  by: StringEnum(AGGREGATE_GROUPINGS),
  indicator: Type.String(),
  indicatorLevel: StringEnum(INDICATOR_LEVELS),
  indicatorLabel: LocalizedText,
  estimate: StringEnum(ESTIMATES),
  estimateBasis: LocalizedText,
  formId: Type.String(),
  formVersion: Type.String(),
  definitionId: Type.String({ description: 'The index definition the figures were computed with.' }),
  definitionVersion: Type.String(),
  minimumN: Type.Integer({ description: 'Figures on fewer (effective) respondents are marked unreliable.' }),
  boundaryEdition: BoundaryEditionSchema,
  roundBoundaryEdition: BoundaryEditionSchema,
  unitTypesOn: Type.String({
    format: 'date',
    description: "The date whose administrative-unit types group the provinces (by=unit-type): the round's fieldwork start, on either edition.",
  }),
  computedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'Null until the first response is aggregated.' }),
  responses: Type.Integer({ description: 'Responses counted in the figures.' }),
  weightedResponses: Type.Integer({ description: 'Of those, responses that carry a design weight.' }),
  review: Type.Object(
    {
      awaitingReview: Type.Integer({ description: 'Responses flagged by the quality checks and not yet approved or rejected: not in the figures.' }),
      unchecked: Type.Integer({ description: 'Responses stored but not yet checked: not in the figures yet.' }),
      rejected: Type.Integer({ description: 'Responses a supervisor rejected or returned to the enumerator: never in the figures (the corrected resend of a returned one is a response of its own).' }),
      awaitingReviewByProvince: Type.Record(Type.String(), Type.Integer(), {
        description: 'Province code (of the round\'s boundary edition) → responses awaiting review; provinces with none are left out.',
      }),
      awaitingVerification: Type.Integer({ description: 'Paper forms keyed twice whose keyings differ, awaiting a supervisor\'s verification: not in the figures.' }),
      awaitingSecondKeying: Type.Integer({ description: 'Paper forms chosen for double entry and keyed once: not in the figures until keyed again.' }),
    },
    { description: 'Responses of the round that the figures leave out, counted when the table is read.' },
  ),
  comparison: Type.Union(
    [
      Type.Object({
        previousRoundId: Type.String(),
        comparable: Type.Boolean(),
        reason: Type.Union([Type.String(), Type.Null()], { description: 'Why changes are not given, when they are not.' }),
      }),
      Type.Null(),
    ],
    { description: 'The previous round changes are measured against; null when the round names none.' },
  ),
  summary: Type.Union(
    [
      Type.Object({
        provinces: Type.Integer({ description: 'Provinces with a value.' }),
        median: Type.Number(),
        q1: Type.Number({ description: 'First quartile (linear interpolation, type 7).' }),
        q3: Type.Number(),
        min: Extreme,
        max: Extreme,
      }),
      Type.Null(),
    ],
    { description: 'Spread of the provincial values of this indicator and estimate; null when no province has one.' },
  ),
  fields: Type.Array(StringEnum(ROW_FIELDS)),
  suppressed: Type.Boolean({ description: 'Whether rows below the minimum n had their figures withheld (`suppress`).' }),
  rows: Type.Array(AggregateRow),
  metadata: Type.Optional(
    Type.Unknown({
      description:
        'With `download`: round, questionnaire and index definition versions, boundary edition, the date unit types were taken on, estimation method, computed and generated at, ' +
        'responses included in the figures, stored responses by review status (included, excluded and why), rows below the minimum n.',
    }),
  ),
  codebook: Type.Optional(
    Type.Array(
      Type.Object({ kind: Type.String(), code: Type.String(), labelVi: Type.String(), labelEn: Type.String(), note: Type.String() }),
      { description: 'With `download`: every column, indicator, province, unit type, region and group code with its labels.' },
    ),
  ),
});

export const RecomputeReply = Type.Object({
  jobId: Type.String(),
  state: Type.String({ description: 'waiting, active, completed, failed, … (BullMQ job states).' }),
  statusUrl: Type.String({ description: 'Where to watch its progress.' }),
});
