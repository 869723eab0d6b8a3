import { Type } from '@sinclair/typebox';
import { AnswerCode } from '../../../survey-forms/form-definition.schema';
import { MAX_QUOTA_ROWS, MAX_TARGET } from '../../../survey-forms/quota-targets';
import { StringEnum } from '../../../survey-forms/typebox';
import { IsoDate, RoundId } from '../rounds/round.schema';
import { XlsxUpload } from '../uploads/upload.schema';
import { PostOfficeCode, ProvinceCode, Username } from '../users/user.schema';
import { PACE_STATUSES } from '../../../survey-forms/field-rollup';

export const QuotaImportBody = Type.Object(
  {
    csv: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'Targets as CSV text (UTF-8, header line): province_code, serving_level, service_field, respondent_type (optional), target.',
      }),
    ),
    xlsx: Type.Optional(XlsxUpload),
    targets: Type.Optional(
      Type.Array(Type.Unknown(), {
        maxItems: MAX_QUOTA_ROWS,
        description: 'Targets as objects: provinceCode, servingLevel, serviceField, respondentType (optional), target.',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1, maxProperties: 1, description: 'One of csv, xlsx or targets.' },
);

export const QuotaImportQuery = Type.Object(
  {
    skipInvalid: Type.Boolean({ default: false, description: 'Store the valid rows and report the others, instead of refusing the file.' }),
    dryRun: Type.Boolean({
      default: false,
      description: 'true: a preview. Check every row and report every problem (always a 200), store nothing; `changes` lists each cell that would change, old → new.',
    }),
  },
  { additionalProperties: false },
);

export const QuotaImportReply = Type.Object({
  roundId: RoundId,
  imported: Type.Integer({ description: 'Rows stored (a target equal to the stored one changes nothing).' }),
  skipped: Type.Integer(),
  problems: Type.Array(Type.Object({ line: Type.Integer(), field: Type.String(), code: Type.String(), message: Type.String() })),
  dryRun: Type.Boolean({ description: 'true: a preview, nothing was stored.' }),
  valid: Type.Integer({ description: 'Rows without problems: those stored, or on a dry run those that would be.' }),
  unchanged: Type.Integer({ description: 'Valid rows whose target equals the stored one.' }),
  changes: Type.Array(
    Type.Object({
      line: Type.Integer({ description: 'Line of the CSV file (the header is line 1), or position (from 1) in the JSON list.' }),
      provinceCode: ProvinceCode,
      servingLevel: AnswerCode,
      serviceField: AnswerCode,
      respondentType: Type.Union([AnswerCode, Type.Null()]),
      before: Type.Union([Type.Integer(), Type.Null()], { description: 'The stored target; null for a cell without one.' }),
      after: Type.Integer(),
    }),
    { description: 'The cells whose target changes (or, on a dry run, would change), old → new, in file order.' },
  ),
});

export const QuotaCellBody = Type.Object(
  {
    provinceCode: ProvinceCode,
    servingLevel: AnswerCode,
    serviceField: AnswerCode,
    respondentType: Type.Optional(Type.Union([AnswerCode, Type.Null()], { description: 'Omit or null: the target covers every respondent type.' })),
    target: Type.Integer({ minimum: 0, maximum: MAX_TARGET }),
  },
  { additionalProperties: false },
);

export const QuotaTargetView = Type.Object({
  provinceCode: ProvinceCode,
  servingLevel: AnswerCode,
  serviceField: AnswerCode,
  respondentType: Type.Union([AnswerCode, Type.Null()]),
  target: Type.Integer(),
  updatedAt: Type.String({ format: 'date-time' }),
  updatedBy: Username,
});
export const QuotaTargetsReply = Type.Object({ roundId: RoundId, targets: Type.Array(QuotaTargetView) });

export const QuotaListQuery = Type.Object({ province: Type.Optional(ProvinceCode) }, { additionalProperties: false });

export const QuotaProgressQuery = Type.Object(
  {
    province: Type.Optional(ProvinceCode),
    postOffice: Type.Optional(PostOfficeCode),
    enumerator: Type.Optional(Username),
    cells: Type.Boolean({ default: true, description: 'false: leave out the cells (the national overview reads provinces only).' }),
    details: Type.Boolean({
      default: true,
      description: 'false: leave out post offices and enumerators (the national overview shows provinces only). A post-office supervisor gets them anyway: their overview is made of them.',
    }),
    servingLevel: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,20}$', description: 'Only cells of this serving level (a code).' })),
    serviceField: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,20}$', description: 'Only cells of this service field (a code).' })),
    asOf: Type.Optional(Type.String({ format: 'date', description: 'The day pace and forecast are computed on. Default: today, or the end of fieldwork once it has passed.' })),
  },
  { additionalProperties: false },
);

const Counts = {
  accepted: Type.Integer({ description: 'Clear or approved: counts in the figures and towards the target.' }),
  awaitingReview: Type.Integer({ description: 'Flagged, not decided yet.' }),
  flagged: Type.Integer({ description: 'Ever flagged by a quality rule, whatever was decided since.' }),
  rejected: Type.Integer(),
  returned: Type.Integer({ description: 'Returned to the enumerator to correct: out of the figures; the corrected resend is a response of its own.' }),
  unchecked: Type.Integer({ description: 'Stored; quality checks not run yet.' }),
  responseRate: Type.Union([Type.Number(), Type.Null()], { description: 'Completed units ÷ units with a final outcome (completed, refused, not reachable).' }),
  target: Type.Union([Type.Integer(), Type.Null()]),
  share: Type.Union([Type.Number(), Type.Null()], { description: 'accepted ÷ target.' }),
};
const Pace = Type.Object({
  lastSevenDays: Type.Integer({ description: 'Interviews (not rejected) that ended in the seven days up to asOf (Vietnam time).' }),
  perDay: Type.Number(),
});
const Forecast = Type.Object({
  status: StringEnum(['reached', 'on-track', 'late', 'stalled', 'no-target'] as const),
  remaining: Type.Union([Type.Integer(), Type.Null()]),
  projectedDate: Type.Union([IsoDate, Type.Null()], { description: 'When the target is reached at the pace of the last seven days.' }),
  daysLate: Type.Union([Type.Integer(), Type.Null()], { description: 'Projected date minus the end of fieldwork, in days.' }),
});
const Summary = {
  ...Counts,
  pace: Pace,
  forecast: Forecast,
  paceStatus: StringEnum(PACE_STATUSES, { description: 'on-track (reached or on track), behind (late by up to 7 days), at-risk (later, or stalled), no-target.' }),
};

export const ProgressChangesQuery = Type.Object(
  { since: Type.String({ format: 'date-time', description: 'The `now` of the previous answer (or of the progress the page shows).' }) },
  { additionalProperties: false },
);
export const ProgressChangesReply = Type.Object({
  now: Type.String({ format: 'date-time', description: 'Send this as `since` next time.' }),
  provinces: Type.Array(ProvinceCode, { description: 'Provinces in your scope whose responses were stored, checked or decided since then: read their progress again.' }),
});

export const QuotaProgressReply = Type.Object({
  roundId: RoundId,
  readAt: Type.String({ format: 'date-time', description: 'Taken before the counts were read: poll `progress-changes?since=` this to learn what changed after them.' }),
  asOf: IsoDate,
  fieldworkEnd: IsoDate,
  cells: Type.Array(
    Type.Object({
      provinceCode: ProvinceCode,
      provinceName: Type.String(),
      servingLevel: AnswerCode,
      serviceField: AnswerCode,
      respondentType: Type.Union([AnswerCode, Type.Null()]),
      ...Counts,
    }),
  ),
  level: StringEnum(['national', 'province', 'post-office'] as const, { description: 'The level the reader works at.' }),
  provinces: Type.Array(Type.Object({ provinceCode: ProvinceCode, provinceName: Type.String(), ...Summary })),
  postOffices: Type.Array(
    Type.Object({ postOffice: PostOfficeCode, postOfficeName: Type.String(), provinceCode: ProvinceCode, provinceName: Type.String(), ...Summary }),
    { description: 'Each post office with units or responses in view; targets are per province, so their target is null.' },
  ),
  totals: Type.Object(Summary),
  enumerators: Type.Array(
    Type.Object({
      username: Username,
      provinceCode: ProvinceCode,
      postOffice: Type.Union([PostOfficeCode, Type.Null()]),
      responseRate: Type.Union([Type.Number(), Type.Null()], { description: 'Completed ÷ final outcomes of the units assigned to them.' }),
      responses: Type.Integer(),
      flagged: Type.Integer(),
      rejected: Type.Integer({ description: 'Rejected or returned: withdrawn from the figures by a decision.' }),
      activeDays: Type.Integer(),
      lastDay: Type.String(),
      completedPerDay: Type.Number({ description: 'Interviews not rejected per day with interviews.' }),
      shareFlagged: Type.Number(),
    }),
  ),
});
