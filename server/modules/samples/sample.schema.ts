import { Type, type Static } from '@sinclair/typebox';
import { AnswerCode } from '../../../survey-forms/form-definition.schema';
import { MAX_SAMPLE_ROWS, SAMPLE_UNIT_ID_PATTERN } from '../../../survey-forms/sample-frame';
import { StringEnum } from '../../../survey-forms/typebox';
import { RoundId } from '../rounds/round.schema';
import { ProvinceCode, Username } from '../users/user.schema';

/**
 * Where a sample unit stands. `refused` and `not-reachable` are the outcome codes of units not
 * interviewed; with `completed` they are what response rates are computed from.
 */
export const UNIT_STATUSES = ['not-started', 'in-progress', 'completed', 'refused', 'not-reachable'] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];
/** What an enumerator reports; `completed` comes only from an accepted response. */
export const REPORTED_STATUSES = ['in-progress', 'refused', 'not-reachable'] as const;
export type ReportedStatus = (typeof REPORTED_STATUSES)[number];

export const SampleUnitId = Type.String({ pattern: SAMPLE_UNIT_ID_PATTERN, description: 'Id of the unit in the sample list, unique within the round.' });

export const SampleImportBody = Type.Object(
  {
    csv: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'The sample list as CSV text (UTF-8, comma-separated, header line): unit_id, province_code, serving_level, service_field, ' +
          'respondent_type, name, phone, address, procedure. Codes are those of the round’s questionnaire code lists.',
      }),
    ),
    units: Type.Optional(
      Type.Array(Type.Unknown(), {
        minItems: 1,
        maxItems: MAX_SAMPLE_ROWS,
        description: 'The sample list as JSON objects with the fields unitId, provinceCode, servingLevel, serviceField, respondentType, name, phone, address, procedure.',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1, maxProperties: 1, description: 'Either `csv` or `units`.' },
);
export type SampleImportBody = Static<typeof SampleImportBody>;

export const SampleImportQuery = Type.Object(
  {
    skipInvalid: Type.Boolean({
      default: false,
      description: 'false: a file with any bad row is refused whole. true: the valid rows are imported and the bad ones reported.',
    }),
  },
  { additionalProperties: false },
);

export const RowProblemView = Type.Object({
  line: Type.Integer({ description: 'Line of the CSV file (the header is line 1), or position (from 1) in the JSON list.' }),
  field: Type.String(),
  code: Type.String(),
  message: Type.String(),
});

export const SampleImportReply = Type.Object({
  roundId: RoundId,
  imported: Type.Integer({ description: 'Units stored now.' }),
  skipped: Type.Integer({ description: 'Rows left out because they have problems (only with skipInvalid=true).' }),
  problems: Type.Array(RowProblemView),
});

export const ContactView = Type.Object(
  { name: Type.String(), phone: Type.Union([Type.String(), Type.Null()]), address: Type.Union([Type.String(), Type.Null()]) },
  { description: 'Personal data: shown only to the assigned enumerator and the supervisors of the province.' },
);

export const SampleUnitView = Type.Object({
  roundId: RoundId,
  unitId: SampleUnitId,
  provinceCode: ProvinceCode,
  provinceName: Type.String(),
  servingLevel: AnswerCode,
  serviceField: AnswerCode,
  respondentType: AnswerCode,
  procedure: Type.Union([Type.String(), Type.Null()]),
  assignedTo: Type.Union([Username, Type.Null()]),
  status: StringEnum(UNIT_STATUSES),
  statusAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  statusNote: Type.Union([Type.String(), Type.Null()]),
  responseId: Type.Union([Type.String(), Type.Null()], { description: 'The response that completed the unit.' }),
  answeredOnline: Type.Boolean({ description: 'The respondent answered online through their respondent link: no paper form or interview is needed.' }),
  contact: ContactView,
});
export type SampleUnitView = Static<typeof SampleUnitView>;

export const SampleParams = Type.Object({ roundId: RoundId }, { additionalProperties: false });

export const SampleListQuery = Type.Object(
  {
    province: Type.Optional(ProvinceCode),
    assignedTo: Type.Optional(Username),
    status: Type.Optional(StringEnum(UNIT_STATUSES)),
    offset: Type.Integer({ minimum: 0, default: 0 }),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
  },
  { additionalProperties: false },
);
export type SampleListQuery = Static<typeof SampleListQuery>;

export const SampleListReply = Type.Object({
  total: Type.Integer({ description: 'Units matching the filter (all pages).' }),
  units: Type.Array(SampleUnitView),
});
