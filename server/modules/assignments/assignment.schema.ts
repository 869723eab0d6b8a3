import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../../../survey-forms/typebox';
import { RoundId, RoundView } from '../rounds/round.schema';
import { AnswerCode } from '../../../survey-forms/form-definition.schema';
import { REPORTED_STATUSES, SampleUnitId, SampleUnitView, UNIT_STATUSES } from '../samples/sample.schema';
import { ProvinceCode, Username } from '../users/user.schema';

/** Most units one assignment request moves. */
export const MAX_ASSIGN = 5000;

export const AssignBody = Type.Object(
  {
    enumerator: Type.Union([Username, Type.Null()], { description: 'The enumerator who gets the units; null takes them back.' }),
    unitIds: Type.Array(SampleUnitId, { minItems: 1, maxItems: MAX_ASSIGN, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export type AssignBody = Static<typeof AssignBody>;

export const AssignReply = Type.Object({
  roundId: RoundId,
  enumerator: Type.Union([Username, Type.Null()]),
  assigned: Type.Integer({ description: 'Units now assigned to the enumerator (or taken back).' }),
});

/** Which units of a round: the filters of the sample list. */
export const UnitSelection = Type.Object(
  {
    province: Type.Optional(ProvinceCode),
    servingLevel: Type.Optional(AnswerCode),
    serviceField: Type.Optional(AnswerCode),
    status: Type.Optional(StringEnum(UNIT_STATUSES)),
    assignedTo: Type.Optional(Username),
    unassigned: Type.Optional(Type.Boolean({ description: 'true: only units assigned to nobody.' })),
  },
  { additionalProperties: false, description: 'Units matching every filter given; completed units are never selected (they stay with their enumerator).' },
);
export type UnitSelection = Static<typeof UnitSelection>;

export const SpreadBody = Type.Object(
  {
    enumerators: Type.Array(Username, { minItems: 1, maxItems: 500, uniqueItems: true, description: 'One enumerator gets every unit; several share them evenly.' }),
    unitIds: Type.Optional(Type.Array(SampleUnitId, { minItems: 1, maxItems: MAX_ASSIGN, uniqueItems: true })),
    filter: Type.Optional(UnitSelection),
  },
  { additionalProperties: false, minProperties: 2, maxProperties: 2, description: 'enumerators, and either unitIds or filter.' },
);
export type SpreadBody = Static<typeof SpreadBody>;

export const SpreadReply = Type.Object({
  roundId: RoundId,
  assigned: Type.Integer({ description: 'Units assigned in all.' }),
  shares: Type.Array(Type.Object({ enumerator: Username, units: Type.Integer() }), {
    description: 'Units each enumerator got, in the order given: the counts differ by at most one.',
  }),
});

export const MyAssignmentsReply = Type.Object({
  rounds: Type.Array(RoundView, { description: 'The open rounds the units belong to: each names the questionnaire version to download.' }),
  assignments: Type.Array(SampleUnitView),
});
export type MyAssignmentsReply = Static<typeof MyAssignmentsReply>;

export const MyUnitParams = Type.Object({ roundId: RoundId, unitId: SampleUnitId }, { additionalProperties: false });

export const StatusBody = Type.Object(
  {
    status: StringEnum(REPORTED_STATUSES, {
      description:
        'in-progress: the interview has started. appointment: the respondent set a date and time (`appointmentAt`, required). ' +
        'revisit: come back another day. refused, not-reachable: outcome codes of a unit not interviewed.',
    }),
    appointmentAt: Type.Optional(Type.String({ format: 'date-time', description: 'With status appointment (and only then): when to come back.' })),
    note: Type.Optional(Type.String({ maxLength: 500, description: 'What happened, e.g. "three visits, nobody home".' })),
    at: Type.String({ format: 'date-time', description: 'When it happened, by the device clock. A report older than the stored one changes nothing.' }),
  },
  { additionalProperties: false },
);
export type StatusBody = Static<typeof StatusBody>;
