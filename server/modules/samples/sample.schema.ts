import { Type, type Static } from '@sinclair/typebox';
import { AnswerCode } from '../../../survey-forms/form-definition.schema';
import { MAX_SAMPLE_ROWS, SAMPLE_UNIT_ID_PATTERN } from '../../../survey-forms/sample-frame';
import { StringEnum } from '../../../survey-forms/typebox';
import { RoundId } from '../rounds/round.schema';
import { XlsxUpload } from '../uploads/upload.schema';
import { PostOfficeCode, ProvinceCode, Username } from '../users/user.schema';

/**
 * Where a sample unit stands. `refused` and `not-reachable` are the outcome codes of units not
 * interviewed; with `completed` they are what response rates are computed from.
 */
export const UNIT_STATUSES = ['not-started', 'in-progress', 'appointment', 'revisit', 'completed', 'refused', 'not-reachable'] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];
/**
 * What an enumerator reports; `completed` comes only from an accepted response. `appointment` (with
 * its date and time) and `revisit` are outcomes of a visit that call for another one.
 */
export const REPORTED_STATUSES = ['in-progress', 'appointment', 'revisit', 'refused', 'not-reachable'] as const;
export type ReportedStatus = (typeof REPORTED_STATUSES)[number];

export const SampleUnitId = Type.String({ pattern: SAMPLE_UNIT_ID_PATTERN, description: 'Id of the unit in the sample list, unique within the round.' });

export const SampleImportBody = Type.Object(
  {
    csv: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'The sample list as CSV text (UTF-8, comma-separated, header line): unit_id, province_code, serving_level, service_field, ' +
          'respondent_type, name, phone, address, procedure, and optionally post_office (a post office code of the unit’s province). Codes are those of the round’s questionnaire code lists.',
      }),
    ),
    xlsx: Type.Optional(XlsxUpload),
    units: Type.Optional(
      Type.Array(Type.Unknown(), {
        minItems: 1,
        maxItems: MAX_SAMPLE_ROWS,
        description: 'The sample list as JSON objects with the fields unitId, provinceCode, servingLevel, serviceField, respondentType, name, phone, address, procedure, postOffice (optional).',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1, maxProperties: 1, description: 'One of `csv`, `xlsx` or `units`.' },
);
export type SampleImportBody = Static<typeof SampleImportBody>;

export const SampleImportQuery = Type.Object(
  {
    skipInvalid: Type.Boolean({
      default: false,
      description: 'false: a file with any bad row is refused whole. true: the valid rows are imported and the bad ones reported.',
    }),
    dryRun: Type.Boolean({
      default: false,
      description: 'true: check every row and report every problem (always a 200), store nothing; `valid` says how many rows would be imported.',
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
  imported: Type.Integer({ description: 'Units stored now (0 on a dry run).' }),
  valid: Type.Integer({ description: 'Rows without problems: those imported, or on a dry run those that would be.' }),
  dryRun: Type.Boolean(),
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
  postOffice: Type.Union([PostOfficeCode, Type.Null()], { description: 'The post office that works the unit.' }),
  assignedTo: Type.Union([Username, Type.Null()]),
  appointmentAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'With status appointment: when the enumerator is to come back.' }),
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
    postOffice: Type.Optional(PostOfficeCode),
    assignedTo: Type.Optional(Username),
    unassigned: Type.Optional(Type.Boolean({ description: 'true: only units assigned to nobody.' })),
    servingLevel: Type.Optional(AnswerCode),
    serviceField: Type.Optional(AnswerCode),
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
